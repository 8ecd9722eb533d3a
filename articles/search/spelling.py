"""Spelling suggestions from the vocabulary of the articles ("depresion" → "depression").

PostgreSQL takes the nearest vocabulary words by trigram distance (pg_trgm,
with the search_word_trgm_gist index); SQLite compares the words that start with the
same letter using difflib. Words of the synonym sets and the medication list
are candidates too, so "klonopn" becomes "klonopin" even when no article
uses the brand name. A suggestion is only shown once the search service has
checked that it finds published articles, so the vocabulary (which also
holds words of drafts) never leaks through it.
"""

import difflib

from django.db import connection

from ..reviews import medication_terms
from .models import SearchWord
from .synonyms import synonym_sets
from .text import QueryItem

MIN_WORD_LENGTH = 4
TRIGRAM_THRESHOLD = 0.3
NEAREST = 5  # candidates by trigram distance, then the most common of the most similar
DIFFLIB_CUTOFF = 0.75
MAX_WORDS = 8


def words_to_check(items: list[QueryItem]) -> list[str]:
    """The query's words that spelling looks up: four letters or more, not excluded."""
    return sorted(
        {
            word
            for item in items
            if not item.negated
            for alternative in item.alternatives
            for word in alternative
            if len(word) >= MIN_WORD_LENGTH and word.isalpha()
        }
    )[:MAX_WORDS]


def suggest(
    items: list[QueryItem], found: dict[str, tuple[bool, str | None]] | None = None
) -> dict[str, str]:
    """Corrections for the query's unknown words: {typed word: suggested word}.

    ``found``: the candidates of ``words_to_check(items)`` already read (on
    PostgreSQL ``CANDIDATES`` runs in the search's own statement); looked up
    here otherwise.
    """
    words = words_to_check(items)
    if not words:
        return {}
    if found is None:
        found = _candidates(words)
    extra = _extra_vocabulary()
    corrections = {}
    for word in words:
        known, best = found.get(word, (False, None))
        if known or word in extra:
            continue
        if best is None:
            close = difflib.get_close_matches(word, extra, n=1, cutoff=DIFFLIB_CUTOFF)
            best = close[0] if close else None
        if best and not _same_word(word, best):
            corrections[word] = best
    return corrections


def _same_word(word: str, other: str) -> bool:
    """Another form of the same word ("attack", "attacks"): stemming already finds those."""
    shorter, longer = sorted((word, other), key=len)
    return longer.startswith(shorter) and len(longer) - len(shorter) <= 3


# The last extra vocabulary built and what it was built from, as one tuple
# (one read, one write: safe between threads). The cache hands back new copies
# of the synonym sets and the medication list on every request; comparing them
# costs a fraction of rebuilding the sorted list (as synonyms._lookup does).
_extra_built: list = [None]


def _extra_vocabulary() -> list[str]:
    sources = (synonym_sets(), medication_terms())
    built = _extra_built[0]
    if built is None or built[0] != sources:
        built = (sources, _vocabulary_of(*sources))
        _extra_built[0] = built
    return built[1]


def _vocabulary_of(sets, medications) -> list[str]:
    words = {word for terms in sets for term in terms for word in term}
    words.update(term.casefold() for term in medications)
    return sorted(word for word in words if word.isalpha())


# Each typed word, the most similar (then most common) of its nearest vocabulary
# words, and whether the vocabulary holds the word itself (1 or 0). The nearest
# words are only looked for when the word is unknown (``suggest`` never offers
# another word for a known one): most searches skip the trigram index walk.
CANDIDATES = f"""
    SELECT t.word,
           CASE WHEN t.known = 0 THEN
           (SELECT near.word
              FROM (SELECT w.word, w.document_count,
                           similarity(w.word, t.word) AS score
                      FROM {SearchWord._meta.db_table} w
                     ORDER BY w.word <-> t.word
                     LIMIT %s) AS near
             WHERE near.score >= %s
             ORDER BY near.score DESC, near.document_count DESC, near.word
             LIMIT 1) END AS nearest,
           t.known
      FROM (SELECT typed.word,
                   CAST(EXISTS (SELECT 1 FROM {SearchWord._meta.db_table} w
                                 WHERE w.word = typed.word) AS INTEGER)::bigint AS known
              FROM unnest(%s::text[]) AS typed(word) OFFSET 0) AS t
"""  # noqa: S608


def candidates_statement(words: list[str]) -> tuple[str, list] | None:
    """``CANDIDATES`` for ``words`` (PostgreSQL), for the search's statement to run."""
    if not words or connection.vendor != "postgresql":
        return None
    return CANDIDATES, [NEAREST, TRIGRAM_THRESHOLD, words]


def _candidates(words: list[str]) -> dict[str, tuple[bool, str | None]]:
    if connection.vendor != "postgresql":
        return _difflib_candidates(words)
    sql, params = candidates_statement(words)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {word: (bool(known), best) for word, best, known in cursor.fetchall()}


def _difflib_candidates(words: list[str]) -> dict[str, tuple[bool, str | None]]:
    initials = sorted({word[0] for word in words})
    by_initial: dict[str, list[str]] = {}
    queryset = SearchWord.objects.none()
    for initial in initials:
        # A range on the unique index rather than LIKE, which SQLite cannot index.
        queryset = queryset | SearchWord.objects.filter(
            word__gte=initial, word__lt=chr(ord(initial) + 1)
        )
    for word in queryset.values_list("word", flat=True).order_by("-document_count", "word"):
        by_initial.setdefault(word[0], []).append(word)
    found = {}
    for word in words:
        candidates = by_initial.get(word[0], [])
        close = difflib.get_close_matches(word, candidates, n=1, cutoff=DIFFLIB_CUTOFF)
        found[word] = (word in candidates, close[0] if close else None)
    return found


def corrected_text(query: str, corrections: dict[str, str]) -> str:
    """The query as typed (normalised) with each corrected word replaced."""
    from .text import WORD_RE, normalise

    return WORD_RE.sub(lambda m: corrections.get(m.group(0), m.group(0)), normalise(query))
