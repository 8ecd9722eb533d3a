"""Snippets for PostgreSQL results: the sentences of an article that match the query.

``ts_headline`` parses the whole document for each result, which at article
length cost more than the rest of the search together. This picks the best
matching sentences in Python from the stored body text instead. A word matches
a query term when they agree up to the term's last three letters (at least
four), a rough stand-in for stemming ("depressed" for "depression",
"sleeping" for "sleep"); shorter terms match exactly. Matches are marked with
STX/ETX like the engines' snippets (``search_tags.highlighted`` escapes).
"""

import re

from .text import QueryItem

# Sentences: a run without . ! ? or a line break, with the punctuation that ends it.
MAX_WORDS = 32
START, STOP = "\x02", "\x03"


def _prefix(term: str) -> str:
    return term if len(term) < 4 else term[: max(4, len(term) - 3)]


def _pattern(items: list[QueryItem]) -> re.Pattern | None:
    terms = {
        word.replace("'", "")
        for item in items
        if not item.negated
        for alternative in item.alternatives
        for word in alternative
    }
    parts = []
    for term in sorted(terms, key=len, reverse=True):
        prefix = re.escape(_prefix(term))
        parts.append(prefix + r"\w*" if len(term) >= 4 else prefix)
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


def _trim(sentence: str, pattern: re.Pattern) -> str:
    words = sentence.split()
    if len(words) <= MAX_WORDS:
        return sentence.strip()
    first = next((i for i, word in enumerate(words) if pattern.search(word)), 0)
    start = max(0, first - MAX_WORDS // 3)
    text = " ".join(words[start : start + MAX_WORDS])
    return ("… " if start else "") + text + " …"


BOUNDARIES = ".!?\n"
ENDINGS = ".!?"


def _sentence_at(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the sentence around text[start:end]: after the last . ! ? or line break
    before it, through the next one and the punctuation run it starts."""
    first = max(text.rfind(char, 0, start) for char in BOUNDARIES) + 1
    ends = [i for i in (text.find(char, end) for char in BOUNDARIES) if i >= 0]
    last = min(ends, default=len(text))
    while last < len(text) and text[last] in ENDINGS:
        last += 1
    return first, last


def _matching_sentences(texts: list[str], pattern: re.Pattern) -> list[tuple[int, tuple, str]]:
    """(-distinct hits, position, sentence) for each sentence with a hit.

    One scan of each text for the pattern, then only the sentences around the
    hits: splitting a whole article into sentences cost more than the search.
    """
    found: dict[tuple[int, int], tuple[int, set[str]]] = {}
    for number, text in enumerate(texts):
        for hit in pattern.finditer(text or ""):
            span = _sentence_at(text, hit.start(), hit.end())
            found.setdefault((number, span[0]), (span[1], set()))[1].add(hit.group().casefold())
    return [
        (-len(hits), position, texts[position[0]][position[1] : end])
        for position, (end, hits) in found.items()
    ]


def make_snippet(texts: list[str], items: list[QueryItem]) -> str:
    """Up to two matching sentences (best first, in reading order), matches marked."""
    pattern = _pattern(items)
    if pattern is None:
        return ""
    scored = _matching_sentences(texts, pattern)
    if not scored:
        return ""
    best = sorted(scored)[:2]
    chosen = [sentence for _, _, sentence in sorted(best, key=lambda row: row[1])]
    if sum(len(sentence.split()) for sentence in chosen) > MAX_WORDS:
        chosen = chosen[:1]
    snippet = " … ".join(_trim(sentence, pattern) for sentence in chosen)
    return pattern.sub(lambda m: f"{START}{m.group()}{STOP}", snippet)
