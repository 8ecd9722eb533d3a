"""Rebuilding and checking the finder's derived data (PostgreSQL only).

The derived data (docs/finder.md has the inventory) is kept exact on every
write: ``search_vector`` and ``finder_terms`` by signals (therapists/signals.py)
or by the seeder, the count tables by database triggers. Rebuilding is for
repairs, for bulk loads that bypassed both, and for migrations that change a
listing's codes. ``manage.py rebuild_finder`` runs ``rebuild`` then ``verify``.
On SQLite there is no derived data, and every function here is a no-op.
"""

import dataclasses
from collections.abc import Iterable

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import BooleanField, F, Func, OuterRef, StringAgg, Subquery, TextField, Value
from django.db.models.functions import Coalesce

from ..models import Therapist
from .bitmaps import BITMAP_TABLE, refresh_bitmaps, stale_bitmaps
from .codes import TERM_ID_BITS, VOCABULARY_GROUPS, listing_codes_sql, through
from .names import NAME_TABLE, refresh_names, stale_names
from .passes import FINDER_PAIR_TABLE, FINDER_WORD_PAIR_TABLE
from .place_counts import PLACE_PAIR_TABLE
from .recount import stale_rows
from .text import SEARCH_CONFIG, uses_postgres_search

# What rebuilds each count table: a SELECT of its rows from the listings.
# ``{listings}`` is the quoted listing table.
PAIR_ROWS = (
    f"SELECT a, b, COUNT(*) FROM (SELECT {listing_codes_sql('listing')} AS codes "  # noqa: S608
    "FROM {listings} AS listing WHERE listing.is_published) AS listing, "
    "unnest(listing.codes) AS a, unnest(listing.codes) AS b GROUP BY a, b"
)
WORD_PAIR_ROWS = (
    "SELECT word, code, COUNT(*) FROM (SELECT tsvector_to_array(listing.search_vector) "  # noqa: S608
    f"AS words, {listing_codes_sql('listing')} AS codes "
    "FROM {listings} AS listing WHERE listing.is_published) AS listing, "
    "unnest(listing.words) AS word, unnest(listing.codes) AS code GROUP BY word, code"
)
# Each listing's codes unnested once and grouped three ways (by city and region,
# by grid cell, by postal code) and by whether it is seen online; the groups
# then give the keys of therapists_finder_places() (migrations 0015, 0023):
# three city/region keys, the cell, the postal code's first 1-3 characters,
# and for the groups not online each key's "off:" twin as well. A fraction of
# the rows that unnesting places x codes per listing makes.
POSTAL_KEYS = ", ".join(
    f"CASE WHEN length(grouped.postal) >= {n} THEN 'p:' || left(grouped.postal, {n}) END"
    for n in (1, 2, 3)
)
PLACE_PAIR_ROWS = (
    "SELECT key.place, grouped.code, SUM(grouped.listings) FROM ("  # noqa: S608
    "SELECT GROUPING(city, region) AS city_ungrouped, GROUPING(cell) AS cell_ungrouped, "
    "city, region, cell, postal, online, code, COUNT(*) AS listings "
    "FROM (SELECT upper(listing.city) AS city, upper(listing.region) AS region, "
    "therapists_finder_cell(listing.latitude, listing.longitude) AS cell, "
    "upper(listing.postal_code) AS postal, listing.online, "
    f"unnest({listing_codes_sql('listing')}) AS code "
    "FROM {listings} AS listing WHERE listing.is_published) AS listing_code "
    "GROUP BY GROUPING SETS ((city, region, online, code), (cell, online, code), "
    "(postal, online, code))) AS grouped, "
    "unnest(CASE WHEN grouped.city_ungrouped = 0 THEN ARRAY['c:' || grouped.city, "
    "'r:' || grouped.region, 'cr:' || length(grouped.city) || ':' || grouped.city || "
    "grouped.region] WHEN grouped.cell_ungrouped = 0 THEN ARRAY[grouped.cell] "
    f"ELSE ARRAY[{POSTAL_KEYS}] END) AS base_key (place), "
    "unnest(CASE WHEN grouped.online THEN ARRAY[base_key.place] "
    "ELSE ARRAY[base_key.place, 'off:' || base_key.place] END) AS key (place) "
    "WHERE key.place IS NOT NULL GROUP BY key.place, grouped.code"
)
COUNT_TABLES = (
    (FINDER_PAIR_TABLE, ("a", "b"), PAIR_ROWS),
    (FINDER_WORD_PAIR_TABLE, ("word", "code"), WORD_PAIR_ROWS),
    (PLACE_PAIR_TABLE, ("place", "code"), PLACE_PAIR_ROWS),
)


def search_vector():
    """A listing's weighted words: name, then practice and specialties, approaches, bio.

    Weighted so a name match outranks a practice or specialty match, which
    outranks a word in the bio.
    """

    def names(relation: str):
        model, column = through(relation)
        return Coalesce(
            Subquery(
                model.objects.filter(therapist=OuterRef("pk"))
                .order_by()
                .values("therapist")
                # In term id order, as the bulk seeder writes them: without an
                # order the names came in whatever order the plan read the
                # relation rows, and a recount could differ from a save.
                .annotate(text=StringAgg(f"{column}__name", delimiter=Value(" "), order_by=column))
                .values("text")
            ),
            Value(""),
            output_field=TextField(),
        )

    return (
        SearchVector("name", weight="A", config=SEARCH_CONFIG)
        + SearchVector("practice_name", weight="B", config=SEARCH_CONFIG)
        + SearchVector(names("specialties"), weight="B", config=SEARCH_CONFIG)
        + SearchVector(names("approaches"), weight="C", config=SEARCH_CONFIG)
        + SearchVector("bio", weight="D", config=SEARCH_CONFIG)
    )


def refresh_search_vectors(pks: Iterable[int] | None = None) -> int:
    """Recompute ``search_vector`` for the given listings (all when ``pks`` is None)."""
    if not uses_postgres_search():
        return 0
    queryset = Therapist.objects.all()
    if pks is not None:
        queryset = queryset.filter(pk__in=list(pks))
    return queryset.update(search_vector=search_vector())


def finder_terms_sql() -> tuple[str, list]:
    """SQL for the ``finder_terms`` array of the listing aliased ``listing``, and its params."""
    quote = connection.ops.quote_name
    selects, params = [], []
    for group in VOCABULARY_GROUPS:
        model = group.through
        owner = model._meta.get_field("therapist").column
        selects.append(
            f"SELECT (%s::bigint << {TERM_ID_BITS}) | {quote(group.through_column)} "  # noqa: S608
            f"FROM {quote(model._meta.db_table)} WHERE {quote(owner)} = listing.id"
        )
        params.append(group.number)
    return f"ARRAY({' UNION ALL '.join(selects)} ORDER BY 1)", params


def refresh_finder_terms(pks: Iterable[int] | None = None) -> int:
    """Recompute ``finder_terms`` for the given listings (all when ``pks`` is None).

    One UPDATE that reads the listings' relation rows.
    """
    if not uses_postgres_search():
        return 0
    terms, params = finder_terms_sql()
    sql = f"UPDATE {_listings()} AS listing SET finder_terms = {terms}"  # noqa: S608
    if pks is not None:
        sql += " WHERE listing.id = ANY(%s)"
        params.append(list(pks))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _listings() -> str:
    return connection.ops.quote_name(Therapist._meta.db_table)


def _rebuild_counts(table: str, columns: tuple[str, ...], rows: str) -> int:
    """Empty a trigger-kept count table and refill it from ``rows``, writers held off."""
    if not uses_postgres_search():
        return 0
    listings = _listings()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {listings} IN SHARE MODE")
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}, listings) "  # noqa: S608
            f"{rows.format(listings=listings)} ORDER BY {', '.join(columns)}"
        )
        return cursor.rowcount


def refresh_finder_pairs() -> int:
    """Rebuild the co-occurrence counts from the listings. Returns the number of code pairs.

    Writers wait while it runs (bench/findings.md has how long).
    """
    return _rebuild_counts(*COUNT_TABLES[0])


def refresh_finder_word_pairs() -> int:
    """Rebuild the one-word text search counts. Returns the number of (word, code) rows."""
    return _rebuild_counts(*COUNT_TABLES[1])


def refresh_finder_place_pairs() -> int:
    """Rebuild the per-place counts (migration 0015). Returns the number of (place, code) rows."""
    return _rebuild_counts(*COUNT_TABLES[2])


def rebuild(*, listing_columns: bool = True, count_tables: bool = True) -> dict[str, int]:
    """Every piece of derived data, in dependency order, in one transaction.

    The count tables are made from ``finder_terms`` and ``search_vector``, so
    those come first. The bulk seeder (``therapists.seeding_copy``) writes
    both columns with the rows (rewriting every row of a freshly loaded table
    would double it on disk) and fills the three count tables itself
    (``therapists.seeding_counts``), so it passes False for those and gets
    every other piece: the bitmaps (migration 0019) and the names (0020).
    Returns the rows written to each.
    """
    if not uses_postgres_search():
        return {}
    with transaction.atomic():
        written = {}
        if listing_columns:
            written["search_vector"] = refresh_search_vectors()
            written["finder_terms"] = refresh_finder_terms()
        if count_tables:
            written[FINDER_PAIR_TABLE] = refresh_finder_pairs()
            written[FINDER_WORD_PAIR_TABLE] = refresh_finder_word_pairs()
            written[PLACE_PAIR_TABLE] = refresh_finder_place_pairs()
        written[BITMAP_TABLE] = refresh_bitmaps()
        written[NAME_TABLE] = refresh_names()
        return written


@dataclasses.dataclass(frozen=True)
class Mismatch:
    """Rows of one piece of derived data that differ from a fresh computation."""

    what: str
    rows: int


def verify() -> list[Mismatch]:
    """Compare every piece of derived data with what it would be rebuilt to; [] when exact."""
    if not uses_postgres_search():
        return []
    differing = {
        "search_vector": _stale_search_vectors(),
        "finder_terms": _stale_finder_terms(),
    }
    for table, columns, rows in COUNT_TABLES:
        differing[table] = _stale_counts(table, columns, rows)
    differing[BITMAP_TABLE] = stale_bitmaps()
    differing[NAME_TABLE] = stale_names()
    return [Mismatch(what, rows) for what, rows in differing.items() if rows]


def _stale_search_vectors() -> int:
    differs = Func(
        F("search_vector"),
        search_vector(),
        template="(%(expressions)s)",
        arg_joiner=" IS DISTINCT FROM ",
        output_field=BooleanField(),
    )
    return Therapist.objects.filter(differs).count()


def _stale_finder_terms() -> int:
    terms, params = finder_terms_sql()
    sql = (
        f"SELECT COUNT(*) FROM {_listings()} AS listing "  # noqa: S608
        f"WHERE listing.finder_terms IS DISTINCT FROM {terms}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _stale_counts(table: str, columns: tuple[str, ...], rows: str) -> int:
    return stale_rows(table, columns, rows.format(listings=_listings()))
