"""Editor-managed synonyms (``SearchSynonym``) applied to a parsed query.

A query word or run of words that matches any term of a synonym set becomes
"any of the set's terms", in place: "klonopin side effects" searches for
(klonopin or clonazepam) and side and effects. Terms are compared without
letter case, apostrophes or a plural "s", so "panic attack" matches the set
entry "panic attacks" and "cant sleep" matches "can't sleep".

A term the text-search dictionary cannot spell out is matched but never added:
on PostgreSQL "feeling down" is only 'feel' once the stop word "down" goes,
so widening "depression" with it would match every article that says "feel".
A reader who types "feeling down" still gets the rest of the set.
"""

from django.core.cache import cache
from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .indexing import TEXT_SEARCH_CONFIG
from .models import SearchSynonym
from .text import QueryItem, compact_words

CACHE_KEY = "articles:search-synonyms:2"
MAX_TERM_WORDS = 4


def _key(words) -> tuple[str, ...]:
    return tuple(word[:-1] if len(word) > 3 and word.endswith("s") else word for word in words)


def synonym_sets() -> list[list[tuple[str, ...]]]:
    """Every set's terms as word tuples; cached until a set is added, changed or removed."""
    return _sets_and_lossy_terms()[0]


def _sets_and_lossy_terms() -> tuple[list[list[tuple[str, ...]]], frozenset]:
    cached = cache.get(CACHE_KEY)
    if cached is None:
        sets = []
        for synonym in SearchSynonym.objects.only("terms"):
            terms = [tuple(compact_words(term)) for term in synonym.term_list()]
            terms = [term for term in terms if 0 < len(term) <= MAX_TERM_WORDS]
            if len(terms) > 1:
                sets.append(terms)
        cached = (sets, _lossy_terms(sets))
        cache.set(CACHE_KEY, cached, 60 * 60)
    return cached


def _lossy_terms(sets) -> frozenset:
    """The multi-word terms that lose a word to the dictionary's stop words (PostgreSQL)."""
    terms = sorted({" ".join(term) for terms in sets for term in terms if len(term) > 1})
    if connection.vendor != "postgresql" or not terms:
        return frozenset()  # SQLite's FTS5 tokenizer keeps every word
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT term FROM unnest(%s::text[]) AS term WHERE "
            "length(to_tsvector(%s::regconfig, term)) < cardinality(string_to_array(term, ' '))",
            [terms, TEXT_SEARCH_CONFIG],
        )
        return frozenset(tuple(term.split(" ")) for (term,) in cursor.fetchall())


@receiver([post_save, post_delete], sender=SearchSynonym, dispatch_uid="search_synonyms_forget")
def _forget_synonyms(**kwargs) -> None:
    cache.delete(CACHE_KEY)


# The last table built and what it was built from: the cache hands back a new
# copy of the sets on every request, and comparing them costs a fraction of
# rebuilding the table, so a process rebuilds only when the sets changed.
_built: list = [None, None]


def _lookup() -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    cached = _sets_and_lossy_terms()
    if _built[0] != cached:
        _built[:] = [cached, _table(*cached)]
    return _built[1]


def _table(sets, lossy) -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    table: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for terms in sets:
        for term in terms:
            alternatives = table.setdefault(_key(term), [])
            alternatives.extend(
                other
                for other in terms
                if other not in alternatives and (other == term or other not in lossy)
            )
    return table


def _single_word(item: QueryItem) -> str | None:
    if item.negated or len(item.alternatives) != 1 or len(item.alternatives[0]) != 1:
        return None
    return item.alternatives[0][0]


def expand(items: list[QueryItem]) -> list[QueryItem]:
    """The query with every synonym-set term it contains widened to the whole set."""
    table = _lookup()
    if not table:
        return items
    expanded: list[QueryItem] = []
    position = 0
    while position < len(items):
        item = items[position]
        merged = _merge_run(items, position, table)
        if merged:
            expanded.append(merged[0])
            position += merged[1]
            continue
        alternatives = list(item.alternatives)
        for words in item.alternatives:
            compact = tuple(word.replace("'", "") for word in words)
            for other in table.get(_key(compact), []):
                if other not in alternatives and other != compact:
                    alternatives.append(other)
        expanded.append(QueryItem(alternatives, item.negated))
        position += 1
    return expanded


def _merge_run(items, start, table) -> tuple[QueryItem, int] | None:
    """Several single-word items that together spell a multi-word term ("can't sleep")."""
    for length in range(MAX_TERM_WORDS, 1, -1):
        run = [_single_word(item) for item in items[start : start + length]]
        if len(run) < length or None in run:
            continue
        key = _key(word.replace("'", "") for word in run)
        if key in table:
            alternatives = [tuple(run)]
            alternatives += [term for term in table[key] if _key(term) != key]
            return QueryItem(alternatives), length
    return None
