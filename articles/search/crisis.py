"""Does a query signal risk? Then the results page shows crisis support first.

The editor-managed ``CrisisTerm`` list decides. Matching is deliberately
generous, because missing a reader in crisis costs far more than showing the
support box to someone researching the topic: letter case, hyphens and
apostrophes are ignored, words may run together ("selfharm", "killmyself"),
and a term word of four letters or more also matches longer forms of it
("overdose" matches "overdosed", "harm" matches "harming").
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import CrisisTerm
from .text import compact_words

CACHE_KEY = "articles:search-crisis-terms"
MAX_SUFFIX = 3
# Always on, whatever the editable list says: deleting every CrisisTerm must
# not switch the support box off.
CORE_TERMS = ("suicide", "suicidal", "kill myself", "want to die", "self harm", "overdose")


def crisis_terms() -> list[tuple[str, ...]]:
    terms = cache.get(CACHE_KEY)
    if terms is None:
        phrases = [*CORE_TERMS, *CrisisTerm.objects.values_list("phrase", flat=True)]
        terms = sorted({tuple(words) for words in map(compact_words, phrases) if words})
        cache.set(CACHE_KEY, terms, 60 * 60)
    return terms


@receiver([post_save, post_delete], sender=CrisisTerm, dispatch_uid="search_crisis_forget")
def _forget_crisis_terms(**kwargs) -> None:
    cache.delete(CACHE_KEY)


def _word_matches(query_word: str, term_word: str) -> bool:
    if query_word == term_word:
        return True
    return (
        len(term_word) >= 4
        and query_word.startswith(term_word)
        and len(query_word) - len(term_word) <= MAX_SUFFIX
    )


def _matches(words: list[str], term: tuple[str, ...]) -> bool:
    size = len(term)
    for start in range(len(words) - size + 1):
        window = words[start : start + size]
        if all(_word_matches(q, t) for q, t in zip(window, term, strict=True)):
            return True
    joined = "".join(term)
    # Words run together, or split differently: "selfharm", "kill my self".
    for start in range(len(words)):
        for end in range(start + 1, min(len(words), start + size + 2) + 1):
            if _word_matches("".join(words[start:end]), joined):
                return True
    return False


def signals_crisis(*queries: str) -> bool:
    """True when any of the queries (e.g. as typed and as spell-corrected) signals risk."""
    terms = crisis_terms()
    for query in queries:
        words = compact_words(query or "")
        if words and any(_matches(words, term) for term in terms):
            return True
    return False
