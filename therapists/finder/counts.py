"""How many listings each result and facet count covers, by one of two strategies.

Facets are disjunctive: inside a group, ticked options widen the search (any
of), so each option's count is computed with every *other* filter applied but
not the group's own selection: the number the reader gets by ticking it.

``for_search`` picks the strategy for the database; the search only asks it
for ``summary()`` and ``vocabulary()``:

- ``AggregateCounts`` (SQLite, no derived data): one aggregate with
  conditional counts, and one UNION ALL of GROUP BYs over the relation tables.
- ``CodeCounts`` (PostgreSQL): every count of the page in one statement over
  the listings' facet codes (therapists/finder/codes.py). It splits the search
  into passes and answers each with a ``PassCounter``: ``PairCounter`` (the
  co-occurrence table), ``WordCounter`` (the word table) or, for the passes
  neither can answer, one ``BitmapCounter`` when every filter is a set of
  codes (therapists/finder/bitmap_counts.py), else one ``ListingCounter``
  (therapists/finder/listing_counts.py).

Counts are cached per search and content generation (``cached``).
"""

import abc
import hashlib
import json
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import CharField, Count, Q, Value

from mhsite.pagecache import current_generation

from ..models import Therapist
from . import bitmap_counts, online_counts
from .bitmap_counts import BitmapCounter
from .codes import FORMAT_CHOICES, VOCABULARY_GROUPS
from .listing_counts import ListingCounter
from .passes import (
    PairCounter,
    Pass,
    PassCounter,
    WordCounter,
    decode,
    multi_select_passes,
    pair_condition,
)
from .place_counts import PlaceCounter, place_only
from .text import ONE_WORD, uses_postgres_search

if TYPE_CHECKING:
    from .query import FinderSearch

logger = logging.getLogger(__name__)


class FinderCounts(abc.ABC):
    """The counts of one search: the result count and every facet's."""

    def __init__(self, search: "FinderSearch"):
        self.search = search

    @abc.abstractmethod
    def summary(self) -> dict[str, int]:
        """``total``, ``accepting``, ``sliding_scale``, ``format:<value>``, ``gender:<value>``."""

    @abc.abstractmethod
    def vocabulary(self) -> dict[str, dict[int, int]]:
        """Per vocabulary group key, term pk -> listings ticking it would give."""


def for_search(search: "FinderSearch") -> FinderCounts:
    """The counting strategy for this database."""
    return CodeCounts(search) if uses_postgres_search() else AggregateCounts(search)


class AggregateCounts(FinderCounts):
    """Counts straight from the listings and relation tables, one query per kind."""

    def summary(self) -> dict[str, int]:
        return cached(self.search, "summary", self.summary_from_aggregate)

    def vocabulary(self) -> dict[str, dict[int, int]]:
        return cached(self.search, "vocabulary", self.vocabulary_from_relations)

    def summary_from_aggregate(self) -> dict[str, int]:
        """One aggregate over the listings matching everything but gender and format."""
        filters = self.search.filters
        gender_q = filters.get("gender", Q())
        format_q = filters.get("format", Q())
        everything = gender_q & format_q
        accepting = Q(availability=Therapist.Availability.ACCEPTING)
        aggregates = {
            "total": Count("pk", filter=everything),
            "accepting": Count("pk", filter=everything & self.search.fresh & accepting),
            "sliding_scale": Count("pk", filter=everything & Q(sliding_scale=True)),
        }
        for value, _label in FORMAT_CHOICES:
            aggregates[f"format:{value}"] = Count("pk", filter=gender_q & Q(**{value: True}))
        for value, _label in Therapist.Gender.choices:
            aggregates[f"gender:{value}"] = Count("pk", filter=format_q & Q(gender=value))
        # Count() with an empty Q() filter is a plain count.
        return self.search.base(without=("gender", "format")).aggregate(**aggregates)

    def vocabulary_from_relations(self) -> dict[str, dict[int, int]]:
        """One UNION ALL of a GROUP BY per vocabulary group, each without its own filter."""
        querysets = []
        for group in VOCABULARY_GROUPS:
            matching = self.search.base(without=[group.key]).values("pk")
            querysets.append(
                group.through.objects.filter(therapist_id__in=matching)
                .order_by()
                .values(group.through_column)
                .annotate(
                    group=Value(group.key, output_field=CharField()),
                    listings=Count("therapist_id"),
                )
                .values_list("group", group.through_column, "listings")
            )
        counts: dict[str, dict[int, int]] = {group.key: {} for group in VOCABULARY_GROUPS}
        for key, term_pk, listings in querysets[0].union(*querysets[1:], all=True):
            counts[key][term_pk] = listings
        return counts


class CodeCounts(FinderCounts):
    """PostgreSQL: every count of the page from the listings' codes, in one statement.

    Each listing counts under its codes. One pass applies every filter and
    counts every code; each multi-select group with a selection (a
    vocabulary, format, gender) gets its own pass, without its own filter and
    counting only its own codes. ``choose_counters`` picks how each pass is
    counted; their statements run as one UNION ALL. A place search that adds
    online listings is counted as two searches whose rows add up
    (therapists/finder/online_counts.py).
    """

    def __init__(self, search: "FinderSearch"):
        super().__init__(search)
        self._counts: dict[str, dict] | None = None

    def summary(self) -> dict[str, int]:
        return self.all()["summary"]

    def vocabulary(self) -> dict[str, dict[int, int]]:
        return self.all()["vocabulary"]

    def all(self) -> dict[str, dict]:
        """The summary and vocabulary counts, computed (or cached) once per search."""
        if self._counts is None:
            self._counts = cached(self.search, "counts", self.compute)
        return self._counts

    def compute(self) -> dict[str, dict]:
        passes = multi_select_passes(self.search)
        if online_counts.splits(self.search):
            counters = [
                counter
                for part in online_counts.parts(self.search)
                for counter in choose_counters(part, passes)
            ]
        else:
            counters = choose_counters(self.search, passes)
        rows = run(counters)
        return decode(self.search, passes, rows)


def choose_counters(search: "FinderSearch", passes: list[Pass]) -> list[PassCounter]:
    """A pair, word or place counter per pass that one can answer; one listing counter
    for the rest."""
    counters: list[PassCounter] = []
    unanswered = []
    for pass_ in passes:
        filter_names = [name for name in search.filters if name != pass_.key]
        condition = pair_condition(search, filter_names)
        if condition is not None:
            counters.append(PairCounter(pass_, *condition))
        elif filter_names == ["q"] and ONE_WORD.fullmatch(search.params.q.strip()):
            counters.append(WordCounter(pass_, search.params.q.strip(), search.similar_names))
        elif place := place_only(search, filter_names):
            counters.append(PlaceCounter(search, pass_, place))
        else:
            unanswered.append(pass_)
    if unanswered:
        # Code-only filters count from the bitmaps (bitmap_counts.py); text and places
        # from the listings.
        counter = BitmapCounter if bitmap_counts.answers(search) else ListingCounter
        counters.append(counter(search, unanswered))
    return counters


def run(counters: list[PassCounter]) -> list[tuple[int, int, int]]:
    """The counters' statements as one UNION ALL: ``(pass, code, listings)`` rows."""
    prefix, prefix_params, statements, params = "", [], [], []
    for counter in counters:
        sql = counter.sql()
        if sql.with_clause and prefix:
            # Only the bitmap counter has one, and a search (or its online part) has one.
            raise ValueError("Two counters of one statement each need a WITH clause")
        prefix += sql.with_clause
        prefix_params += sql.with_params
        statements += sql.statements
        params += sql.params
    with connection.cursor() as cursor:
        cursor.execute(prefix + " UNION ALL ".join(statements), [*prefix_params, *params])
        return cursor.fetchall()


def counts_key(search: "FinderSearch", kind: str) -> str:
    """The cache key of a search's counts of one kind.

    The counts depend only on the filters (not the order or the page), on
    the date (through the availability freshness cutoff) and on the
    content: the page cache's content generation is bumped by every write
    to a listing or a vocabulary, so a cached count never outlives the data
    it was computed from.
    """
    p = search.params
    filters = {
        "q": p.q.strip(),
        "location": p.location.strip().casefold(),
        "near": [p.latitude, p.longitude, p.radius_km] if p.near else None,
        "include_online": p.include_online,
        "formats": sorted(set(p.formats)),
        "accepting": p.accepting,
        "sliding_scale": p.sliding_scale,
        "max_fee": p.max_fee,
        "genders": sorted(set(p.genders)),
        "terms": {
            key: sorted({term.pk for term in terms})
            for key, terms in sorted(p.terms.items())
            if terms
        },
        "fresh_cutoff": search.fresh_cutoff.isoformat(),
        "vendor": connection.vendor,
    }
    digest = hashlib.sha256(json.dumps(filters, sort_keys=True).encode()).hexdigest()
    return f"finder:counts:{kind}:{current_generation()}:{digest}"


def cached(search: "FinderSearch", kind: str, compute: Callable[[], dict]) -> dict:
    """``compute()``, remembered under ``counts_key``; the database if the cache fails."""
    try:
        key = counts_key(search, kind)
        counts = cache.get(key)
    except Exception:  # A cache outage must only make the finder slower.
        logger.exception("Could not read the finder's cached counts")
        return compute()
    if counts is None:
        counts = compute()
        try:
            cache.set(key, counts, settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.exception("Could not cache the finder's counts")
    return counts
