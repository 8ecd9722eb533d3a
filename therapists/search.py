"""The finder's queries: filters, facet counts, text search, distance and order.

Everything is computed in the database, in a fixed number of queries whatever
the filters and the page size:

1. the vocabularies (one UNION query) — loaded by ``load_vocabularies``;
2. on PostgreSQL, the result count and every facet count in one statement
   (see ``FinderSearch._counts_from_codes``); on SQLite, the facet counts of
   every vocabulary group (one UNION ALL of GROUP BYs), then the result count
   plus the gender, format and yes/no facet counts (one aggregate with
   conditional counts);
3. the page of results, and the prefetches its cards need;
4. only when nothing matches: one aggregate counting each way out.

Facets are disjunctive: inside a group, ticked options widen the search (any
of), so each option's count is computed with every *other* filter applied but
not the group's own selection — the number the reader gets by ticking it.
"""

import dataclasses
import datetime
import hashlib
import json
import logging
import math
import re
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.fields.array import ArrayOverlap
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    CharField,
    Count,
    Expression,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import Col
from django.db.models.functions import ASin, Coalesce, Cos, Least, Power, Radians, Sin, Sqrt

from mhsite.pagecache import current_generation

from .models import (
    AgeGroup,
    Approach,
    Community,
    Faith,
    InsurancePlan,
    Language,
    Specialty,
    Therapist,
    availability_fresh_cutoff,
)

logger = logging.getLogger(__name__)

EARTH_RADIUS_KM = 6371.0
KM_PER_DEGREE_LATITUDE = 111.045
SEARCH_CONFIG = "english"

SORT_RELEVANCE = "relevance"
SORT_NEAREST = "nearest"
SORT_CONFIRMED = "confirmed"

FORMAT_IN_PERSON = "in_person"
FORMAT_ONLINE = "online"
FORMAT_CHOICES = [(FORMAT_IN_PERSON, "In person"), (FORMAT_ONLINE, "Online (video or phone)")]


@dataclasses.dataclass(frozen=True)
class VocabularyGroup:
    """A multi-select filter over one of the listing's vocabulary relations."""

    key: str  # the URL parameter
    label: str
    relation: str  # the Therapist many-to-many field
    vocabulary: str  # the key of the vocabulary in load_vocabularies()
    # Stored in every listing's ``finder_terms`` on PostgreSQL (migration 0006):
    # never renumber a group, only add new numbers (and refresh_finder_terms()).
    number: int

    @property
    def through(self):
        return _through(self.relation)[0]

    @property
    def through_column(self) -> str:
        """The through table's foreign key column to the vocabulary, e.g. ``specialty_id``."""
        return _through(self.relation)[1] + "_id"

    def code(self, term_pk: int) -> int:
        """The term as an element of ``finder_terms``: the group number, then the term id."""
        return (self.number << TERM_ID_BITS) | term_pk

    def code_range(self) -> tuple[int, int]:
        """The codes of this group's terms are ``low <= code < high``."""
        return self.number << TERM_ID_BITS, (self.number + 1) << TERM_ID_BITS


TERM_ID_BITS = 32
VOCABULARY_GROUPS = (
    VocabularyGroup("specialty", "Specialties", "specialties", "specialty", 1),
    VocabularyGroup("approach", "Approaches", "approaches", "approach", 2),
    VocabularyGroup("language", "Languages", "languages", "language", 3),
    VocabularyGroup("community", "Works with communities", "communities_served", "community", 4),
    VocabularyGroup("identity", "Identifies as", "communities_identifies", "community", 5),
    VocabularyGroup("faith", "Faith", "faiths", "faith", 6),
    VocabularyGroup("age", "Age groups", "age_groups", "age", 7),
    VocabularyGroup("insurance", "Insurance (in network)", "insurance_plans", "insurance", 8),
)
GROUPS_BY_NUMBER = {group.number: group for group in VOCABULARY_GROUPS}
VOCABULARY_MODELS = {
    "specialty": Specialty,
    "approach": Approach,
    "language": Language,
    "community": Community,
    "faith": Faith,
    "age": AgeGroup,
    "insurance": InsurancePlan,
}


def _code(group: int, number: int) -> int:
    return (group << TERM_ID_BITS) | number


# The finder's other facets as codes beside the vocabulary terms, for the
# PostgreSQL counts (``therapists_finder_codes``, migration 0009, which holds
# the same numbers: change both together, in a new migration).
TOTAL_CODE = 0  # every listed listing has it
FORMAT_GROUP, GENDER_GROUP, SLIDING_GROUP, ACCEPTING_GROUP = 20, 21, 22, 23
FORMAT_CODES = {FORMAT_IN_PERSON: _code(FORMAT_GROUP, 1), FORMAT_ONLINE: _code(FORMAT_GROUP, 2)}
GENDER_CODES = {
    value: _code(GENDER_GROUP, number)
    for value, number in [
        ("woman", 1),
        ("man", 2),
        ("non_binary", 3),
        ("genderqueer", 4),
        ("two_spirit", 5),
        ("agender", 6),
        ("another", 7),
    ]
}
SLIDING_CODE = _code(SLIDING_GROUP, 1)
# Accepting new clients: one code per day availability was last confirmed.
EPOCH = datetime.date(1970, 1, 1)


def accepting_codes(fresh_cutoff: datetime.date) -> tuple[int, int]:
    """Accepting new clients and confirmed since the cutoff: ``low <= code < high``."""
    return _code(ACCEPTING_GROUP, (fresh_cutoff - EPOCH).days), _code(ACCEPTING_GROUP + 1, 0)


def group_range(number: int) -> tuple[int, int]:
    return _code(number, 0), _code(number + 1, 0)


@dataclasses.dataclass(frozen=True)
class Term:
    pk: int
    slug: str
    name: str


def load_vocabularies() -> dict[str, list[Term]]:
    """Every vocabulary's terms, keyed like VOCABULARY_MODELS, in one query."""
    querysets = [
        model.objects.order_by()
        .annotate(kind=Value(key, output_field=CharField()))
        .values_list("kind", "pk", "slug", "name")
        for key, model in VOCABULARY_MODELS.items()
    ]
    vocabularies: dict[str, list[Term]] = {key: [] for key in VOCABULARY_MODELS}
    for kind, pk, slug, name in querysets[0].union(*querysets[1:], all=True):
        vocabularies[kind].append(Term(pk, slug, name))
    for terms in vocabularies.values():
        terms.sort(key=lambda term: term.name.casefold())
    return vocabularies


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


def uses_postgres_search() -> bool:
    return connection.vendor == "postgresql"


def refresh_search_vectors(pks: Iterable[int] | None = None) -> int:
    """Recompute ``search_vector`` for the given listings (all when ``pks`` is None).

    Weighted so a name match outranks a practice or specialty match, which
    outranks a word in the bio. A no-op on databases without full-text search.
    """
    if not uses_postgres_search():
        return 0
    queryset = Therapist.objects.all()
    if pks is not None:
        queryset = queryset.filter(pk__in=list(pks))

    def names(relation: str):
        through, column = _through(relation)
        return Coalesce(
            Subquery(
                through.objects.filter(therapist=OuterRef("pk"))
                .order_by()
                .values("therapist")
                .annotate(text=StringAgg(f"{column}__name", delimiter=Value(" ")))
                .values("text")
            ),
            Value(""),
            output_field=TextField(),
        )

    vector = (
        SearchVector("name", weight="A", config=SEARCH_CONFIG)
        + SearchVector("practice_name", weight="B", config=SEARCH_CONFIG)
        + SearchVector(names("specialties"), weight="B", config=SEARCH_CONFIG)
        + SearchVector(names("approaches"), weight="C", config=SEARCH_CONFIG)
        + SearchVector("bio", weight="D", config=SEARCH_CONFIG)
    )
    return queryset.update(search_vector=vector)


# The PostgreSQL-only ``finder_terms`` column (migration 0006). Not a model
# field, since SQLite has no arrays; queries reach it through FinderTerms.
_FINDER_TERMS = ArrayField(BigIntegerField())
_FINDER_TERMS.set_attributes_from_name("finder_terms")
_FINDER_TERMS.model = Therapist  # for expression identity; not added to the model's fields


class FinderTerms(Expression):
    """The listing's ``finder_terms`` column, in whatever alias the query gives the table."""

    def __init__(self):
        super().__init__(output_field=_FINDER_TERMS)

    def resolve_expression(self, query=None, *args, **kwargs):
        return Col(query.get_initial_alias(), _FINDER_TERMS)


FINDER_PAIR_TABLE = "therapists_finder_pair"
# Word/code co-occurrence counts for one-word text searches (migration 0011).
FINDER_WORD_PAIR_TABLE = "therapists_finder_word_pair"
# A text search that is one plain ASCII word: the parser makes it one token.
ONE_WORD = re.compile(r"[A-Za-z]{1,60}")


def listing_codes_sql(alias: str) -> str:
    """SQL for a listing's facet codes (migration 0009's ``therapists_finder_codes``)."""
    columns = (
        "finder_terms",
        "in_person",
        "online",
        "gender",
        "sliding_scale",
        "availability",
        "availability_confirmed_on",
    )
    return f"therapists_finder_codes({', '.join(f'{alias}.{column}' for column in columns)})"


def _rebuild_counts(table: str, insert: str) -> int:
    """Empty a trigger-kept count table and refill it with ``insert``, writers held off."""
    if not uses_postgres_search():
        return 0
    listings = connection.ops.quote_name(Therapist._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {listings} IN SHARE MODE")
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        cursor.execute(insert.format(listings=listings))
        return cursor.rowcount


def refresh_finder_pairs() -> int:
    """Rebuild the finder's co-occurrence counts from the listings; a no-op on SQLite.

    The triggers of migration 0009 keep ``therapists_finder_pair`` exact on
    every write, so this is only for repairs and for bulk loaders that switch
    the triggers off while they load. Writers wait while it runs (about ten
    seconds at 100,000 listings). Returns the number of code pairs.
    """
    return _rebuild_counts(
        FINDER_PAIR_TABLE,
        f"INSERT INTO {FINDER_PAIR_TABLE} (a, b, listings) "  # noqa: S608
        f"SELECT a, b, COUNT(*) FROM (SELECT {listing_codes_sql('listing')} AS codes "
        "FROM {listings} AS listing WHERE listing.is_published) AS listing, "
        "unnest(listing.codes) AS a, unnest(listing.codes) AS b GROUP BY a, b ORDER BY a, b",
    )


def refresh_finder_word_pairs() -> int:
    """Rebuild the one-word text search counts (migration 0011); a no-op on SQLite.

    Like ``refresh_finder_pairs``: the triggers keep the table exact, so this
    is only for repairs. Returns the number of (word, code) rows.
    """
    return _rebuild_counts(
        FINDER_WORD_PAIR_TABLE,
        f"INSERT INTO {FINDER_WORD_PAIR_TABLE} (word, code, listings) "  # noqa: S608
        "SELECT word, code, COUNT(*) FROM (SELECT tsvector_to_array(listing.search_vector) "
        f"AS words, {listing_codes_sql('listing')} AS codes "
        "FROM {listings} AS listing WHERE listing.is_published) AS listing, "
        "unnest(listing.words) AS word, unnest(listing.codes) AS code "
        "GROUP BY word, code ORDER BY word, code",
    )


def refresh_finder_terms(pks: Iterable[int] | None = None) -> int:
    """Recompute ``finder_terms`` for the given listings (all when ``pks`` is None).

    One UPDATE that reads the listings' relation rows; a no-op on SQLite,
    where the finder reads the relation tables directly.
    """
    if not uses_postgres_search():
        return 0
    quote = connection.ops.quote_name
    selects, params = [], []
    for group in VOCABULARY_GROUPS:
        through = group.through
        owner = through._meta.get_field("therapist").column
        selects.append(
            f"SELECT (%s::bigint << {TERM_ID_BITS}) | {quote(group.through_column)} "  # noqa: S608
            f"FROM {quote(through._meta.db_table)} WHERE {quote(owner)} = listing.id"
        )
        params.append(group.number)
    sql = (
        f"UPDATE {quote(Therapist._meta.db_table)} AS listing "  # noqa: S608
        f"SET finder_terms = ARRAY({' UNION ALL '.join(selects)} ORDER BY 1)"
    )
    if pks is not None:
        sql += " WHERE listing.id = ANY(%s)"
        params.append(list(pks))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _text_filter_and_rank(q: str) -> tuple[Q, object]:
    """A WHERE clause matching the words in ``q`` and a relevance expression."""
    if uses_postgres_search():
        query = SearchQuery(q, config=SEARCH_CONFIG, search_type="websearch")
        # Full-text for words anywhere; trigram word similarity for a
        # misspelled name ("Okafur" still finds "Okafor"). Both use GIN indexes.
        # The names are matched once, up front (an InitPlan), and listings
        # tested against their ids: written as ``OR name %> q``, a common
        # word (matching a quarter of the listings) made the planner scan
        # the table and compute the trigram similarity of every name.
        condition = Q(search_vector=query) | Q(_has_similar_name(q))
        # Likewise the similarity only counts for those names: the others
        # resemble the words too little to have matched on them.
        rank = SearchRank(F("search_vector"), query) + Case(
            When(_has_similar_name(q), then=TrigramWordSimilarity(q, "name")),
            default=Value(0.0),
            output_field=FloatField(),
        )
        return condition, rank
    # SQLite: every word must appear in one of the searched fields; a match in
    # the name counts most, then the practice, then anything else.
    words = q.split()[:8]
    condition = Q()
    for word in words:
        condition &= (
            Q(name__icontains=word)
            | Q(practice_name__icontains=word)
            | Q(bio__icontains=word)
            | Q(pk__in=_ids_with_term_name("specialties", word))
            | Q(pk__in=_ids_with_term_name("approaches", word))
        )
    rank = Value(0.0, output_field=FloatField())
    for word in words:
        rank = (
            rank
            + Case(When(name__icontains=word, then=Value(3.0)), default=Value(0.0))
            + Case(When(practice_name__icontains=word, then=Value(2.0)), default=Value(0.0))
        )
    rank = rank + Case(When(name__icontains=q, then=Value(5.0)), default=Value(0.0))
    return condition, rank


def _has_similar_name(q: str) -> Func:
    """``id = ANY(ARRAY(ids of listings with a name word like q))``: the names matched once."""
    names = Therapist.objects.order_by().filter(name__trigram_word_similar=q).values("pk")
    return Func(
        F("pk"),
        ArraySubquery(names),
        template="(%(expressions)s))",
        arg_joiner=" = ANY(",
        output_field=BooleanField(),
    )


def _through(relation: str) -> tuple[type, str]:
    """The auto-created through model of a Therapist many-to-many, and its vocabulary FK name."""
    through = Therapist._meta.get_field(relation).remote_field.through
    for field in through._meta.get_fields():
        if field.many_to_one and field.related_model is not Therapist:
            return through, field.name
    raise LookupError(relation)  # pragma: no cover


def _ids_with_term_name(relation: str, word: str) -> QuerySet:
    through, column = _through(relation)
    return through.objects.filter(**{f"{column}__name__icontains": word}).values("therapist_id")


def bounding_box(latitude: float, longitude: float, radius_km: float) -> Q:
    """A cheap, index-friendly rectangle that contains the search circle."""
    delta_lat = radius_km / KM_PER_DEGREE_LATITUDE
    cos_lat = max(math.cos(math.radians(latitude)), 0.01)
    delta_lng = radius_km / (KM_PER_DEGREE_LATITUDE * cos_lat)
    box = Q(latitude__gte=latitude - delta_lat, latitude__lte=latitude + delta_lat)
    if delta_lng >= 180:
        return box & Q(longitude__isnull=False)
    west, east = longitude - delta_lng, longitude + delta_lng
    if west < -180:  # the circle crosses the antimeridian
        return box & (Q(longitude__gte=west + 360) | Q(longitude__lte=east))
    if east > 180:
        return box & (Q(longitude__gte=west) | Q(longitude__lte=east - 360))
    return box & Q(longitude__gte=west, longitude__lte=east)


def distance_km(latitude: float, longitude: float):
    """The haversine great-circle distance from a point, as a database expression."""
    half_dlat = Radians(F("latitude") - Value(latitude)) / Value(2.0)
    half_dlng = Radians(F("longitude") - Value(longitude)) / Value(2.0)
    a = Power(Sin(half_dlat), 2) + Value(math.cos(math.radians(latitude))) * Cos(
        Radians(F("latitude"))
    ) * Power(Sin(half_dlng), 2)
    # Rounding can push ``a`` a hair above 1 for antipodal points.
    return Value(2 * EARTH_RADIUS_KM) * ASin(Sqrt(Least(a, Value(1.0))))


def location_filter(location: str) -> Q:
    """City, region or postal code, as typed ("Portland", "Oregon", "97205", "Portland, OR")."""
    parts = [part.strip() for part in location.split(",") if part.strip()]
    if len(parts) >= 2:
        return Q(city__iexact=parts[0]) & (
            Q(region__iexact=parts[1]) | Q(postal_code__iexact=parts[1])
        )
    text = parts[0] if parts else location
    condition = Q(city__iexact=text) | Q(region__iexact=text)
    if any(character.isdigit() for character in text):
        condition |= Q(postal_code__istartswith=text)
    return condition


# Listing fields a result card never shows (see templates/therapists/includes).
CARD_UNUSED_FIELDS = ("bio", "bio_html", "search_vector")


class FinderSearch:
    """One reader's search: its filters as named WHERE clauses and what is derived from them."""

    def __init__(self, params: FinderParams, today=None):
        self.params = params
        self.fresh_cutoff = availability_fresh_cutoff(today)
        self.fresh = Q(availability_confirmed_on__gte=self.fresh_cutoff)
        self.rank = None
        self._all_counts: dict[str, dict] | None = None
        self.filters: dict[str, Q] = {}
        p = params
        if p.q:
            self.filters["q"], self.rank = _text_filter_and_rank(p.q)
        place = Q()
        if p.location:
            place &= location_filter(p.location)
        if p.near:
            # The rectangle lets the database use the (latitude, longitude)
            # index; the exact distance then trims its corners.
            place &= bounding_box(p.latitude, p.longitude, p.radius_km) & Q(
                distance_km__lte=p.radius_km
            )
        if place:
            self.filters["place"] = (place | Q(online=True)) if p.include_online else place
        if p.formats:
            condition = Q()
            for format_ in p.formats:
                condition |= Q(**{format_: True})
            self.filters["format"] = condition
        if p.accepting:
            self.filters["accepting"] = self.fresh & Q(
                availability=Therapist.Availability.ACCEPTING
            )
        if p.sliding_scale:
            self.filters["sliding_scale"] = Q(sliding_scale=True)
        if p.max_fee is not None:
            self.filters["max_fee"] = Q(fee_min__lte=p.max_fee)
        if p.genders:
            self.filters["gender"] = Q(gender__in=p.genders)
        for group in VOCABULARY_GROUPS:
            selected = p.terms.get(group.key)
            if selected and uses_postgres_search():
                # Any of the ticked terms: an overlap on the listing's own row.
                codes = [group.code(term.pk) for term in selected]
                self.filters[group.key] = Q(ArrayOverlap(FinderTerms(), codes))
            elif selected:
                self.filters[group.key] = Q(
                    pk__in=group.through.objects.filter(
                        **{f"{group.through_column}__in": [term.pk for term in selected]}
                    ).values("therapist_id")
                )

    # Querysets -----------------------------------------------------------

    def base(self, *, without: Iterable[str] = ()) -> QuerySet:
        """Listed therapists matching every filter except those named in ``without``."""
        skip = set(without)
        return self._listed().filter(
            *[condition for name, condition in self.filters.items() if name not in skip]
        )

    def _listed(self) -> QuerySet:
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

    def for_cards(self, queryset: QuerySet) -> QuerySet:
        # The cards show none of the wide text columns; left out, a text search
        # matching tens of thousands of listings sorts rows a third as wide.
        return queryset.defer(*CARD_UNUSED_FIELDS).prefetch_related("languages", "specialties")

    # Counts --------------------------------------------------------------

    def summary_counts(self) -> dict[str, int]:
        """The result count, and the facet counts of gender, format and the yes/no filters.

        Each group's counts leave out its own selection. On SQLite, one
        aggregate over the listings matching everything but the gender and
        format filters, with conditional counts.
        """
        if uses_postgres_search():
            return self._counts()["summary"]
        return self._cached("summary", self._summary_from_aggregate)

    def vocabulary_counts(self) -> dict[str, dict[int, int]]:
        """Per group, term pk -> listings it would give."""
        if uses_postgres_search():
            return self._counts()["vocabulary"]
        return self._cached("vocabulary", self._vocabulary_counts)

    def _summary_from_aggregate(self) -> dict[str, int]:
        gender_q = self.filters.get("gender", Q())
        format_q = self.filters.get("format", Q())
        everything = gender_q & format_q
        aggregates = {
            "total": Count("pk", filter=everything),
            "accepting": Count(
                "pk",
                filter=everything & self.fresh & Q(availability=Therapist.Availability.ACCEPTING),
            ),
            "sliding_scale": Count("pk", filter=everything & Q(sliding_scale=True)),
        }
        for value, _label in FORMAT_CHOICES:
            aggregates[f"format:{value}"] = Count("pk", filter=gender_q & Q(**{value: True}))
        for value, _label in Therapist.Gender.choices:
            aggregates[f"gender:{value}"] = Count("pk", filter=format_q & Q(gender=value))
        # Count() with an empty Q() filter is a plain count.
        return self.base(without=("gender", "format")).aggregate(**aggregates)

    def counts_key(self, kind: str) -> str:
        """The cache key of this search's counts of one kind.

        The counts depend only on the filters (not the order or the page), on
        the date (through the availability freshness cutoff) and on the
        content: the page cache's content generation is bumped by every write
        to a listing or a vocabulary, so a cached count never outlives the data
        it was computed from.
        """
        p = self.params
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
            "fresh_cutoff": self.fresh_cutoff.isoformat(),
            "vendor": connection.vendor,
        }
        digest = hashlib.sha256(json.dumps(filters, sort_keys=True).encode()).hexdigest()
        return f"finder:counts:{kind}:{current_generation()}:{digest}"

    def _cached(self, kind: str, compute: Callable[[], dict]) -> dict:
        """``compute()``, remembered under ``counts_key(kind)``; the database if the cache fails."""
        try:
            key = self.counts_key(kind)
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

    def _vocabulary_counts(self) -> dict[str, dict[int, int]]:
        querysets = []
        for group in VOCABULARY_GROUPS:
            matching = self.base(without=[group.key]).values("pk")
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

    def _counts(self) -> dict[str, dict]:
        """PostgreSQL: the summary and vocabulary counts, computed (or cached) once per search."""
        if self._all_counts is None:
            self._all_counts = self._cached("counts", self._counts_from_codes)
        return self._all_counts

    def _counts_from_codes(self) -> dict[str, dict]:
        """PostgreSQL: every count of the page, from the listings' codes, in one statement.

        Each listing counts under its codes (``therapists_finder_codes``, migration 0009):
        its vocabulary terms, a code every listing has (the result count), and
        codes for its formats, gender, sliding scale and "accepting, confirmed
        on day N". One pass applies every filter and counts every code; each
        multi-select group with a selection (a vocabulary, format, gender) gets
        its own pass, without its own filter and counting only its own codes.

        A pass with no filter, or with one filter that is a code or a set of
        codes no listing has two of (one term, one format, any genders,
        accepting new clients, sliding scale), reads the precomputed
        co-occurrence counts: for the unfiltered and the one-filter searches,
        the commonest, that is a few hundred rows instead of unnesting the
        codes of tens of thousands of listings. Other passes read the listings
        they match, through the covering index when no text search is involved
        (``_unnest_passes``), counting the same codes.
        """
        passes: list[tuple[str | None, tuple[int, int] | None]] = [(None, None)]
        for key, number in self._multi_select_groups():
            if key in self.filters:
                passes.append((key, group_range(number)))
        statements, params = [], []
        unnested: list[tuple[int, str | None, tuple[int, int] | None]] = []
        for number, (key, codes) in enumerate(passes):
            filter_names = [name for name in self.filters if name != key]
            pair_condition = self._pair_condition(filter_names)
            if pair_condition is None and filter_names == ["q"] and self._one_word():
                statement, statement_params = self._word_pass(number, codes)
                statements.append(statement)
                params += statement_params
                continue
            if pair_condition is None:
                unnested.append((number, key, codes))
                continue
            condition, condition_params = pair_condition
            statement = (
                f"SELECT %s, b, SUM(listings) FROM {FINDER_PAIR_TABLE} "  # noqa: S608
                f"WHERE {condition}"
            )
            params += [number, *condition_params]
            if codes is not None:
                statement += " AND b >= %s AND b < %s"
                params += list(codes)
            statements.append(statement + " GROUP BY b")
        prefix, prefix_params = "", []
        if unnested:
            prefix, prefix_params, unnest_statements, unnest_params = self._unnest_passes(unnested)
            statements += unnest_statements
            params += unnest_params
        by_pass: list[dict[int, int]] = [{} for _ in passes]
        with connection.cursor() as cursor:
            cursor.execute(prefix + " UNION ALL ".join(statements), [*prefix_params, *params])
            for number, code, listings in cursor.fetchall():
                if listings:
                    by_pass[number][code] = int(listings)
        # A group's counts come from its own pass when it has one.
        own = {key: by_pass[number] for number, (key, _codes) in enumerate(passes) if key}
        everything = by_pass[0]
        low, high = accepting_codes(self.fresh_cutoff)
        summary = {
            "total": everything.get(TOTAL_CODE, 0),
            "accepting": sum(n for code, n in everything.items() if low <= code < high),
            "sliding_scale": everything.get(SLIDING_CODE, 0),
        }
        for value, _label in FORMAT_CHOICES:
            summary[f"format:{value}"] = own.get("format", everything).get(FORMAT_CODES[value], 0)
        for value, _label in Therapist.Gender.choices:
            summary[f"gender:{value}"] = own.get("gender", everything).get(GENDER_CODES[value], 0)
        vocabulary: dict[str, dict[int, int]] = {}
        for group in VOCABULARY_GROUPS:
            first, last = group.code_range()
            vocabulary[group.key] = {
                code - first: n
                for code, n in own.get(group.key, everything).items()
                if first <= code < last
            }
        return {"summary": summary, "vocabulary": vocabulary}

    def _unnest_passes(
        self, passes: list[tuple[int, str | None, tuple[int, int] | None]]
    ) -> tuple[str, list, list[str], list]:
        """The passes that must read the listings, in one read of them.

        Returns a ``WITH`` clause and the statements (``pass, code, listings``
        rows) that read it. The listings matching any of the passes are read
        once into ``finder_listing``, each with a flag per pass saying whether
        it matches that pass's filters (the passes overlap heavily: each
        leaves out one filter of the same search). Only the vocabulary terms
        are unnested and grouped, for the passes that count terms; the other
        facets (result count, formats, genders, sliding scale, accepting) are
        conditional counts over the listings, one row per listing rather than
        one per code: at 100,000 listings a quarter fewer rows to group.
        """
        single = len(passes) == 1
        flags = {}
        if single:
            _number, key, _codes = passes[0]
            queryset = self.base(without=[key] if key else ())
        else:
            any_pass = Q()
            for number, key, _codes in passes:
                condition = Q(*[q for name, q in self.filters.items() if name != key])
                flags[f"in_pass_{number}"] = ExpressionWrapper(
                    condition, output_field=BooleanField()
                )
                any_pass |= condition
            queryset = self._listed().filter(any_pass)
        inner, inner_params = (
            queryset.annotate(terms=FinderTerms(), **flags)
            .values(
                "terms",
                "in_person",
                "online",
                "gender",
                "sliding_scale",
                "availability",
                "availability_confirmed_on",
                *flags,
            )
            .query.sql_with_params()
        )
        prefix = f"WITH finder_listing AS MATERIALIZED ({inner}) "

        def in_pass(number: int) -> str:
            return "TRUE" if single else f"in_pass_{number}"

        def listed_in_pass(number: int) -> str:
            return "TRUE" if single else f"listing_code.in_pass_{number}"

        statements, params = [], []
        # Vocabulary terms: the all-filters pass and each vocabulary group's pass.
        counts, wanted, pass_counts, wanted_params = [], [], [], []
        for number, key, codes in passes:
            if key in ("format", "gender"):
                continue
            condition = listed_in_pass(number)
            condition_params = []
            if codes is not None:
                condition += " AND listing_code.code >= %s AND listing_code.code < %s"
                condition_params = list(codes)
            counts.append(f"COUNT(*) FILTER (WHERE {condition}) AS listings_{number}")
            wanted.append(f"({condition})")
            params += condition_params
            wanted_params += condition_params
            pass_counts.append(f"({number}, counted.listings_{number})")
        if counts:
            flag_columns = "".join(f", {flag}" for flag in flags)
            # unnest() in the select list (a ProjectSet) rather than a lateral
            # join: measured about a third faster at 100,000 listings. The
            # WHERE drops the codes no pass counts before grouping.
            statements.append(
                "SELECT pass_count.pass, counted.code, pass_count.listings FROM ("  # noqa: S608
                f"SELECT listing_code.code, {', '.join(counts)} FROM ("
                f"SELECT unnest(terms) AS code{flag_columns} FROM finder_listing"
                f") AS listing_code WHERE {' OR '.join(wanted)} "
                "GROUP BY listing_code.code) AS counted, "
                f"LATERAL (VALUES {', '.join(pass_counts)}) AS pass_count (pass, listings)"
            )
            params += wanted_params
        # The other facets, from one row per listing.
        facet_counts, facet_rows, facet_params = [], [], []

        def facet(number: int, code: int, condition: str, *condition_params) -> None:
            column = f"facet_{len(facet_counts)}"
            where = in_pass(number) + (f" AND {condition}" if condition else "")
            facet_counts.append(f"COUNT(*) FILTER (WHERE {where}) AS {column}")
            facet_params.extend(condition_params)
            facet_rows.append(f"({number}, {int(code)}::bigint, counted.{column})")

        for number, key, _codes in passes:
            if key is None:
                facet(number, TOTAL_CODE, "")
                facet(number, SLIDING_CODE, "sliding_scale")
                # Under the first code of the accepting range, which the
                # summary sums over.
                facet(
                    number,
                    accepting_codes(self.fresh_cutoff)[0],
                    "availability = %s AND availability_confirmed_on >= %s",
                    Therapist.Availability.ACCEPTING.value,
                    self.fresh_cutoff,
                )
            if key in (None, "format"):
                for value, _label in FORMAT_CHOICES:
                    facet(number, FORMAT_CODES[value], value)
            if key in (None, "gender"):
                for value, code in GENDER_CODES.items():
                    facet(number, code, "gender = %s", value)
        statements.append(
            "SELECT pass_count.pass, pass_count.code, pass_count.listings FROM ("  # noqa: S608
            f"SELECT {', '.join(facet_counts)} FROM finder_listing) AS counted, "
            f"LATERAL (VALUES {', '.join(facet_rows)}) AS pass_count (pass, code, listings)"
        )
        params += facet_params
        return prefix, inner_params, statements, params

    def _one_word(self) -> bool:
        """Whether the text search is one plain word, which has at most one lexeme."""
        return bool(ONE_WORD.fullmatch(self.params.q.strip()))

    def _word_pass(self, number: int, codes: tuple[int, int] | None) -> tuple[str, list]:
        """A pass whose only filter is a one-word text search, from the word counts.

        The listings the search matches are those whose ``search_vector`` has
        the word's lexeme (counted, per code, in the word table of migration
        0011) and those with a name like the word (few, unnested here) that
        do not have it.
        """
        table = connection.ops.quote_name(Therapist._meta.db_table)
        q = self.params.q.strip()
        code_range, range_params = "", []
        if codes is not None:
            code_range = " AND code >= %s AND code < %s"
            range_params = list(codes)
        # One ASCII word gives the same lexeme (or none, for a stop word)
        # through to_tsvector as through websearch_to_tsquery.
        statement = (
            f"SELECT %s, word_count.code, SUM(word_count.listings) FROM ("  # noqa: S608
            f"SELECT code, listings FROM {FINDER_WORD_PAIR_TABLE} WHERE word = ANY("
            "tsvector_to_array(to_tsvector(%s::regconfig, %s)))"
            f"{code_range} "
            f"UNION ALL SELECT code, 1 FROM (SELECT unnest({listing_codes_sql('listing')}) "
            f"AS code FROM {table} AS listing WHERE listing.is_published "
            f"AND listing.id = ANY(ARRAY(SELECT named.id FROM {table} AS named "
            "WHERE named.name %%> %s)) AND NOT COALESCE(listing.search_vector @@ "
            "websearch_to_tsquery(%s::regconfig, %s), FALSE)) AS extra "
            f"WHERE TRUE{code_range}) AS word_count GROUP BY word_count.code"
        )
        params = [number, SEARCH_CONFIG, q, *range_params, q, SEARCH_CONFIG, q, *range_params]
        return statement, params

    def _multi_select_groups(self) -> list[tuple[str, int]]:
        """The filters whose options widen the search: (key, code group number)."""
        return [
            *((group.key, group.number) for group in VOCABULARY_GROUPS),
            ("format", FORMAT_GROUP),
            ("gender", GENDER_GROUP),
        ]

    def _pair_condition(self, filter_names: list[str]) -> tuple[str, list] | None:
        """The co-occurrence rows that count the listings matching ``filter_names``, if any do.

        Rows ``(a, b)`` with ``a`` in a set of codes count, for each ``b``, the
        listings matching the filter that set stands for, provided no listing
        has two codes of the set (else it would count twice).
        """
        p = self.params
        if not filter_names:
            return "a = %s", [TOTAL_CODE]
        if len(filter_names) > 1:
            return None
        name = filter_names[0]
        group = next((g for g in VOCABULARY_GROUPS if g.key == name), None)
        if group is not None:
            selected = p.terms.get(name, [])
            return ("a = %s", [group.code(selected[0].pk)]) if len(selected) == 1 else None
        if name == "format" and len(set(p.formats)) == 1:
            return "a = %s", [FORMAT_CODES[p.formats[0]]]
        if name == "gender":  # one gender per listing
            return "a = ANY(%s)", [[GENDER_CODES[value] for value in set(p.genders)]]
        if name == "accepting":  # one confirmation day per listing
            return "a >= %s AND a < %s", list(accepting_codes(self.fresh_cutoff))
        if name == "sliding_scale":
            return "a = %s", [SLIDING_CODE]
        return None

    def ways_out_counts(self, wider_radius_km: int | None) -> dict[str, int]:
        """For an empty result: how many listings each single relaxation would give.

        Dropping each active filter in turn, widening the radius, and including
        therapists who see clients online: one statement of independent counts,
        so each relaxation is answered through its own indexes instead of
        testing every condition (text search included) on every listed row.
        """
        conditions: dict[str, Q] = {}
        for name in self.filters:
            others = [q for other, q in self.filters.items() if other != name]
            conditions[f"without:{name}"] = Q(*others)
        p = self.params
        others = [q for other, q in self.filters.items() if other != "place"]
        if p.near and wider_radius_km:
            wider = bounding_box(p.latitude, p.longitude, wider_radius_km) & Q(
                distance_km__lte=wider_radius_km
            )
            if p.location:
                wider &= location_filter(p.location)
            conditions["wider_radius"] = Q(*others) & wider
        if p.has_location and not p.include_online:
            conditions["include_online"] = Q(*others) & Q(online=True)
        if not conditions:
            return {}
        counts, params = [], []
        for condition in conditions.values():
            queryset = self._listed().filter(condition).values("pk")
            sql, condition_params = queryset.query.sql_with_params()
            counts.append(f"(SELECT COUNT(*) FROM ({sql}) AS relaxed)")  # noqa: S608
            params += condition_params
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(counts)}", params)
            row = cursor.fetchone()
        return dict(zip(conditions, row, strict=True))


def explain_order(params: FinderParams) -> str:
    """The one sentence that tells readers how results are ordered."""
    days = settings.THERAPIST_AVAILABILITY_STALE_DAYS
    stale = (
        f"listings whose availability has not been confirmed in the last {days} days "
        "come after confirmed ones"
    )
    sort = params.effective_sort
    if sort == SORT_RELEVANCE:
        return (
            "Sorted by how closely each listing matches your search words "
            "(name first, then practice, specialties, approaches and bio; a name spelled "
            f"nearly like your words counts as a name match too); {stale}."
        )
    if sort == SORT_NEAREST:
        return f"Sorted by distance from the point you gave, nearest first; {stale}."
    return f"Sorted by when availability was last confirmed, most recent first, so {stale}."


def category_specialty_slugs() -> Subquery:
    """For a Category queryset: the slugs of the specialties mapped to each category.

    A comma-separated string, as a correlated subquery, so an article page can
    annotate its prefetched categories and link to the filtered finder without
    an extra query.
    """
    through = Specialty.article_categories.through
    return Subquery(
        through.objects.filter(category_id=OuterRef("pk"))
        .order_by()
        .values("category_id")
        .annotate(slugs=StringAgg("specialty__slug", delimiter=Value(",")))
        .values("slugs")
    )
