"""Phrases that PostgreSQL's English dictionary reads as one word (PostgreSQL).

The ``english`` configuration drops stop words, so the phrase "can't sleep"
("can", "t" and "sleep" to its parser) is only the word 'sleep'. Matched as a
phrase it costs a branch of its own (``postgres.branches``): one more scan of
its thousands of candidates, each left out of the other branches. Matched as
the word it is, it joins the item's other words in one index scan. The
tsquery is the same either way, so the matches and the ranking do not change.

``STOP_WORDS`` is the dictionary's list (PostgreSQL's
``tsearch_data/english.stop``); tests/search/test_stop_words.py checks that
the server drops every one of them, so no word the server keeps is ever
dropped here. A word the server drops but this list lacks only leaves the
phrase a phrase.
"""

from .text import QueryItem

_LISTED = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what
    which who whom this that these those am is are was were be been being have has had
    having do does did doing a an the and but if or because as until while of at by for
    with about against between into through during before after above below to from up
    down in out on off over under again further then once here there when where why how
    all any both each few more most other some such no nor not only own same so than too
    very s t can will just don should now
"""
STOP_WORDS = frozenset(_LISTED.split())


def one_word(words: tuple[str, ...]) -> str | None:
    """The one word a phrase is once its stop words go, or None.

    Only plain ASCII words, split at apostrophes as the server's parser
    splits them ("can't" is "can" and "t"); anything else (a hyphen, a digit,
    another alphabet) stays a phrase.
    """
    parts = [part for word in words for part in word.split("'")]
    if not all(part.isascii() and part.isalpha() for part in parts):
        return None
    kept = [part for part in parts if part not in STOP_WORDS]
    return kept[0] if len(kept) == 1 else None


def phrases_as_words(items: list[QueryItem]) -> list[QueryItem]:
    """``items`` with each phrase that is one word to the dictionary written as that word."""
    result = []
    for item in items:
        alternatives: list[tuple[str, ...]] = []
        for words in item.alternatives:
            word = one_word(words) if len(words) > 1 else None
            as_word = (word,) if word else words
            if as_word not in alternatives:
                alternatives.append(as_word)
        result.append(QueryItem(alternatives, item.negated))
    return result
