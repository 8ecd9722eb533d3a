"""A reader's search: its parameters, its filters, and the querysets built from them."""

import dataclasses
import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.contrib.postgres.fields.array import ArrayOverlap
from django.db import connection
from django.db.models import Case, CharField, F, Q, QuerySet, Value, When

from ..models import Therapist, availability_fresh_cutoff
from . import counts, ways_out
from .codes import VOCABULARY_GROUPS, VOCABULARY_MODELS, FinderTerms
from .geo import circle_filter, distance_km, location_filter
from .online_counts import OFFLINE, ONLINE
from .text import text_filter_and_rank, uses_postgres_search

if TYPE_CHECKING:
    from .nearest import NearestFirst

SORT_RELEVANCE = "relevance"
SORT_NEAREST = "nearest"
SORT_CONFIRMED = "confirmed"

# Listing fields a result card never shows (see templates/therapists/includes).


@dataclasses.dataclass(frozen=True)
class Term:
    pk: int
    slug: str
    name: str


def load_vocabularies() -> dict[str, list[Term]]:
    """Every vocabulary's terms, keyed like VOCABULARY_MODELS, in one query."""
    vocabularies: dict[str, list[Term]] = {key: [] for key in VOCABULARY_MODELS}
    with connection.cursor() as cursor:
        cursor.execute(*vocabularies_sql(connection.vendor))
        for kind, pk, slug, name in cursor.fetchall():
            vocabularies[kind].append(Term(pk, slug, name))
    for terms in vocabularies.values():
        terms.sort(key=lambda term: term.name.casefold())
    return vocabularies


# Compiled once per process: the statement has no value that depends on the request,
# and building the seven annotated querysets and their UNION cost ~2 ms a read.
@functools.cache
def vocabularies_sql(vendor: str) -> tuple[str, tuple]:
    """``(kind, pk, slug, name)`` of every term: the SQL and its (constant) parameters."""
    querysets = [
        model.objects.order_by()
        .annotate(kind=Value(key, output_field=CharField()))
        .values_list("kind", "pk", "slug", "name")
        for key, model in VOCABULARY_MODELS.items()
    ]
    return querysets[0].union(*querysets[1:], all=True).query.sql_with_params()


@dataclasses.dataclass
class FinderParams:
    """A reader's search, already validated (see therapists.forms.FinderForm)."""

    q: str = ""
    location: str = ""
    latitude: float | None = None
    longitude: float | None = None
    radius_km: int = 25
    include_online: bool = False
    formats: list[str] = dataclasses.field(default_factory=list)
    accepting: bool = False
    sliding_scale: bool = False
    max_fee: int | None = None
    genders: list[str] = dataclasses.field(default_factory=list)
    # Vocabulary group key -> selected terms.
    terms: dict[str, list[Term]] = dataclasses.field(default_factory=dict)
    sort: str = ""
    # Search the words exactly as typed: no term or place is read out of them
    # (therapists/finder/understanding.py).
    as_text: bool = False
    # Not the reader's: which part of a search including online listings the
    # counts read (therapists/finder/online_counts.py). "online": the online
    # listings; "offline": the listings of the place that are not online.
    online_part: str = ""

    @property
    def near(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def has_location(self) -> bool:
        return self.near or bool(self.location)

    @property
    def effective_sort(self) -> str:
        """The order used: the reader's choice when it applies, else a sensible default."""
        if self.sort == SORT_NEAREST and self.near:
            return SORT_NEAREST
        if self.sort == SORT_RELEVANCE and self.q:
            return SORT_RELEVANCE
        if self.sort == SORT_CONFIRMED:
            return SORT_CONFIRMED
        if self.q:
            return SORT_RELEVANCE
        if self.near:
            return SORT_NEAREST
        return SORT_CONFIRMED


def place_filter(p: FinderParams) -> Q:
    """The location and distance limits (an empty Q when there are none)."""
    place = Q()
    if p.location:
        place &= location_filter(p.location)
    if p.near:
        place &= circle_filter(p.latitude, p.longitude, p.radius_km, by_cell=uses_postgres_search())
    if place and p.include_online:
        if p.online_part == ONLINE:
            return Q(online=True)
        if p.online_part == OFFLINE:
            return place & Q(online=False)
        return place | Q(online=True)
    return place


def vocabulary_filters(p: FinderParams) -> dict[str, Q]:
    """Per vocabulary group with a selection: listings with any of the ticked terms."""
    filters = {}
    for group in VOCABULARY_GROUPS:
        selected = p.terms.get(group.key)
        if selected and uses_postgres_search():
            # Any of the ticked terms: an overlap on the listing's own row.
            codes = [group.code(term.pk) for term in selected]
            filters[group.key] = Q(ArrayOverlap(FinderTerms(), codes))
        elif selected:
            filters[group.key] = Q(
                pk__in=group.through.objects.filter(
                    **{f"{group.through_column}__in": [term.pk for term in selected]}
                ).values("therapist_id")
            )
    return filters


class FinderSearch:
    """One reader's search: its filters as named WHERE clauses and what is derived from them.

    The counts come from the strategy ``counts.for_search`` picks for the
    database (see therapists/finder/counts.py).
    """

    def __init__(self, params: FinderParams, today=None):
        self.params = params
        self.fresh_cutoff = availability_fresh_cutoff(today)
        self.fresh = Q(availability_confirmed_on__gte=self.fresh_cutoff)
        self.rank = None
        self.similar_names = None
        self.filters = self._filters()
        self.counts = counts.for_search(self)

    def _filters(self) -> dict[str, Q]:
        """Every active filter, by name; the names are what the counts leave out."""
        p = self.params
        filters: dict[str, Q] = {}
        if p.q:
            filters["q"], self.rank, self.similar_names = text_filter_and_rank(p.q)
        if place := place_filter(p):
            filters["place"] = place
        if p.formats:
            condition = Q()
            for format_ in p.formats:
                condition |= Q(**{format_: True})
            filters["format"] = condition
        if p.accepting:
            filters["accepting"] = self.fresh & Q(availability=Therapist.Availability.ACCEPTING)
        if p.sliding_scale:
            filters["sliding_scale"] = Q(sliding_scale=True)
        if p.max_fee is not None:
            filters["max_fee"] = Q(fee_min__lte=p.max_fee)
        if p.genders:
            filters["gender"] = Q(gender__in=p.genders)
        filters.update(vocabulary_filters(p))
        return filters

    # Querysets -----------------------------------------------------------

    def base(self, *, without: Iterable[str] = ()) -> QuerySet:
        """Listed therapists matching every filter except those named in ``without``."""
        skip = set(without)
        return self.listed().filter(
            *[condition for name, condition in self.filters.items() if name not in skip]
        )

    def listed(self) -> QuerySet:
        """Every listed therapist, unordered, with ``distance_km`` when the search has a point."""
        queryset = Therapist.objects.listed().order_by()
        if self.params.near:
            # Annotated so the radius filter (``distance_km__lte``) and the
            # nearest-first order can refer to it.
            queryset = queryset.annotate(
                distance_km=distance_km(self.params.latitude, self.params.longitude)
            )
        return queryset

    def results(self) -> QuerySet:
        """The ordered result list: stale availability after confirmed, then the chosen order."""
        queryset = self.base().annotate(
            stale_last=Case(When(self.fresh, then=Value(0)), default=Value(1)),
        )
        sort = self.params.effective_sort
        if sort == SORT_RELEVANCE:
            queryset = queryset.annotate(relevance=self.rank)
            order = ["stale_last", F("relevance").desc(), "name", "pk"]
        elif sort == SORT_NEAREST:
            # Online-only listings included without a location sort after located ones.
            order = ["stale_last", F("distance_km").asc(nulls_last=True), "name", "pk"]
        else:
            order = [F("availability_confirmed_on").desc(nulls_last=True), "name", "pk"]
        return queryset.order_by(*order)

    # Counts --------------------------------------------------------------

    def summary_counts(self) -> dict[str, int]:
        """The result count, and the facet counts of gender, format and the yes/no filters.

        Each group's counts leave out its own selection.
        """
        return self.counts.summary()

    def vocabulary_counts(self) -> dict[str, dict[int, int]]:
        """Per group, term pk -> listings it would give."""
        return self.counts.vocabulary()

    def ways_out_counts(self, wider_radius_km: int | None) -> dict[str, int]:
        """For an empty result: how many listings each single relaxation would give."""
        return ways_out.ways_out_counts(self, wider_radius_km)


class ResultPages:
    """Ordered results that fetch a slice (a page) in one statement of two stages.

    The inner stage orders the matching listings by their sort keys and keeps
    the page's ids: it reads only narrow columns, so an index holding them
    (therapist_finder_near_idx for "nearest first", migration 0016) answers it
    without visiting the listing rows. The outer stage reads the page's rows
    and puts them in the same order. Ordering every match by reading its full
    row, as a single statement does, meant reading tens of thousands of rows
    scattered over the table at 1,000,000 listings for a page of 20.
    """

    # For Paginator, which warns about unordered lists.
    ordered = True

    def __init__(self, results: QuerySet, nearest: "NearestFirst | None" = None):
        self.results = results
        # The first pages of a nearest-first circle search (therapists/finder/nearest.py).
        self.nearest = nearest

    def page(self, index: slice) -> QuerySet:
        """The listings of one page (``index``), in order, as one two-stage statement."""
        if not isinstance(index, slice):
            raise TypeError(f"{type(self).__name__} is read a page (a slice) at a time")
        ids = self.nearest.page_ids(index) if self.nearest else None
        if ids is None:
            ids = self.results.values("pk")[index]
        return self.results.filter(pk__in=ids)
