"""Writing many generated listings at once, for ``seed_therapists``.

``insert_listings`` writes one batch of new listings with their vocabulary
relations and the derived search columns, in the caller's transaction:

- on PostgreSQL with ``COPY``: the listings into a temporary table, then one
  ``INSERT ... SELECT`` into the listing table that computes each
  ``search_vector`` on the way in, and the relation rows straight into their
  tables. Each listing row is written once, already complete, instead of being
  inserted and then updated twice (search vector, ``finder_terms``), which
  rewrote every index entry of a wide, heavily indexed row three times. The
  finder's pair-count triggers (migration 0009) see the complete rows, once
  per batch, so the counts are exact at every commit with nothing to rebuild;
- elsewhere with ``bulk_create``, which is fast enough for the test databases.

Neither path sends model signals; ``COPY`` also bypasses the page cache's
watch on write statements, so the page cache is invalidated explicitly.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import Model
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from mhsite import pagecache

from .finder.codes import VOCABULARY_GROUPS
from .finder.passes import FINDER_PAIR_TABLE, FINDER_WORD_PAIR_TABLE
from .finder.place_counts import PLACE_PAIR_TABLE
from .finder.text import SEARCH_CONFIG
from .models import Therapist

STAGING_TABLE = "seed_therapist_staging"


@dataclass
class NewListing:
    """A listing to insert: its field values (by field name) and its relations' terms."""

    fields: dict[str, object]
    relations: dict[str, Sequence[Model]]  # Therapist many-to-many name -> vocabulary terms


def insert_listings(listings: Sequence[NewListing]) -> int:
    """Insert a batch of listings and their relation rows; return the relation rows written.

    Call inside ``transaction.atomic()``, so a batch is written whole or not
    at all (and, on PostgreSQL, its staging table lives until the commit).
    """
    if not connection.in_atomic_block:
        raise TransactionManagementError("insert_listings() must run inside a transaction.")
    if not listings:
        return 0
    if connection.vendor == "postgresql":
        rows = _copy_listings(listings)
    else:
        rows = _bulk_create_listings(listings)
    pagecache.invalidate()
    return rows


def vacuum_count_tables() -> bool:
    """VACUUM the finder's count tables between batches; False where it cannot run.

    Each batch's trigger firing updates most count rows at once, more than
    the free room on their pages holds, so many new row versions go to new
    pages. Pruning frees the old versions' room but does not record it for
    reuse; VACUUM does, so the next batch fills it instead of growing the
    table (without it the tables ended several times their live size).
    VACUUM cannot run inside a transaction, and SQLite has no count tables.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM {FINDER_PAIR_TABLE}, {FINDER_WORD_PAIR_TABLE}, {PLACE_PAIR_TABLE}")
    return True


def _relation_tables(relation: str) -> tuple[type[Model], str, str]:
    """A Therapist many-to-many's through model and its listing and term columns."""
    field = Therapist._meta.get_field(relation)
    through = field.remote_field.through
    source = through._meta.get_field(field.m2m_field_name())
    target = through._meta.get_field(field.m2m_reverse_field_name())
    return through, source.column, target.column


def _terms(listing: NewListing, relation: str) -> list[Model]:
    """A listing's terms in one relation, in the order their rows are written: by id.

    That is the order the relation table's unique (listing, term) index, a
    scan of the table and a scan of the vocabulary all return them in, so
    ``refresh_search_vectors``' unordered ``STRING_AGG`` of term names sees
    them in the same order as the seeded search vector, whichever plan it gets.
    """
    return sorted(listing.relations.get(relation, ()), key=lambda term: term.pk)


def _relation_pairs(listings: Sequence[NewListing], pks: Sequence[int], relation: str):
    for listing, pk in zip(listings, pks, strict=True):
        for term in _terms(listing, relation):
            yield pk, term.pk


def _bulk_create_listings(listings: Sequence[NewListing]) -> int:
    therapists = Therapist.objects.bulk_create(
        [Therapist(**listing.fields) for listing in listings]
    )
    pks = [therapist.pk for therapist in therapists]
    count = 0
    for relation in _relation_names(listings):
        through, source, target = _relation_tables(relation)
        rows = [
            through(**{source: a, target: b}) for a, b in _relation_pairs(listings, pks, relation)
        ]
        through.objects.bulk_create(rows)
        count += len(rows)
    return count


def _relation_names(listings: Sequence[NewListing]) -> list[str]:
    names: dict[str, None] = {}
    for listing in listings:
        names.update(dict.fromkeys(listing.relations))
    return list(names)


# PostgreSQL ------------------------------------------------------------------


def _listing_columns() -> list:
    """The listing table's fields written by COPY: all but the id and the derived columns."""
    return [
        field
        for field in Therapist._meta.concrete_fields
        if not field.primary_key and field.name != "search_vector"
    ]


def _default_values(fields: list) -> dict[str, object]:
    """Each field's database value in a new listing that sets nothing, as bulk_create saves it."""
    template = Therapist()
    return {
        field.name: field.get_db_prep_save(field.pre_save(template, add=True), connection)
        for field in fields
    }


def _search_vector_sql(quote) -> str:
    """``therapists.finder.maintenance.refresh_search_vectors``' vector, over a staging row.

    The same weights, configuration and term name order (see ``_terms``);
    tests compare the two.
    """
    parts = [
        (quote("name"), "A"),
        (quote("practice_name"), "B"),
        ("specialty_names", "B"),
        ("approach_names", "C"),
        (quote("bio"), "D"),
    ]
    return " || ".join(
        f"setweight(to_tsvector(%s::regconfig, COALESCE({column}, '')), '{weight}')"
        for column, weight in parts
    )


def _finder_terms(listing: NewListing) -> str:
    """The array ``finder.maintenance.refresh_finder_terms`` gives one listing, as a literal."""
    codes = sorted(
        group.code(term.pk)
        for group in VOCABULARY_GROUPS
        for term in listing.relations.get(group.relation, ())
    )
    return "{" + ",".join(map(str, codes)) + "}"


def _csv(rows: Iterable[Sequence]) -> io.StringIO:
    """Rows as COPY's CSV: quoted values, unquoted empty fields for NULL."""
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_NOTNULL, lineterminator="\n").writerows(rows)
    buffer.seek(0)
    return buffer


def _copy(cursor, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    # Identifiers come from model metadata and are quoted; the data is streamed.
    cursor.cursor.copy_expert(
        f"COPY {quote(table)} ({names}) FROM STDIN WITH (FORMAT csv)", _csv(rows)
    )


def _copy_listings(listings: Sequence[NewListing]) -> int:
    quote = connection.ops.quote_name
    table = Therapist._meta.db_table
    fields = _listing_columns()
    defaults = _default_values(fields)
    now = timezone.now()
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            defaults[field.name] = now  # one timestamp per batch, like one bulk_create
    with connection.cursor() as cursor:
        # Ids first, so the relation rows can be written without reading anything back.
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, Therapist._meta.pk.column, len(listings)],
        )
        pks = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            f"CREATE TEMPORARY TABLE {quote(STAGING_TABLE)} "
            f"(LIKE {quote(table)}, specialty_names text, approach_names text) ON COMMIT DROP"
        )
        columns = [Therapist._meta.pk.column, *(field.column for field in fields), "finder_terms"]
        _copy(
            cursor,
            STAGING_TABLE,
            [*columns, "specialty_names", "approach_names"],
            (
                (
                    pk,
                    *(listing.fields.get(field.name, defaults[field.name]) for field in fields),
                    _finder_terms(listing),
                    " ".join(term.name for term in _terms(listing, "specialties")),
                    " ".join(term.name for term in _terms(listing, "approaches")),
                )
                for pk, listing in zip(pks, listings, strict=True)
            ),
        )
        names = ", ".join(quote(column) for column in columns)
        cursor.execute(
            f"INSERT INTO {quote(table)} ({names}, {quote('search_vector')}) "  # noqa: S608
            f"SELECT {names}, {_search_vector_sql(quote)} FROM {quote(STAGING_TABLE)} "
            f"ORDER BY {quote(Therapist._meta.pk.column)}",
            [SEARCH_CONFIG] * 5,
        )
        cursor.execute(f"DROP TABLE {quote(STAGING_TABLE)}")
        count = 0
        for relation in _relation_names(listings):
            through, source, target = _relation_tables(relation)
            pairs = list(_relation_pairs(listings, pks, relation))
            if pairs:
                _copy(cursor, through._meta.db_table, [source, target], pairs)
                count += len(pairs)
    return count
