"""A page of results as the finder's cards show them: plain rows, not model instances.

A card shows 18 columns of a listing and the names of its languages and
specialties. Reading them as ``Therapist`` instances with two prefetches cost
about 5 ms of Python a page (some 130 model instances, related managers and
signals) for what two plain row reads give in well under one
(docs/finder.md, "Rendering"). The page cache does not need the instances:
the finder page carries the ``finder`` and ``app:therapists`` tags, which every
listing write bumps.
"""

import dataclasses
import datetime
import functools

from django.db import connection
from django.db.models import QuerySet

from ..models import Therapist
from . import statements
from .nearest import NearestFirst
from .query import FinderSearch, ResultPages
from .text import uses_postgres_search

# The listing columns a card shows, in the order of Card's fields.
CARD_COLUMNS = (
    "pk",
    "slug",
    "name",
    "credentials",
    "professional_title",
    "pronouns",
    "practice_name",
    "city",
    "region",
    "in_person",
    "online",
    "fee_min",
    "fee_max",
    "sliding_scale",
    "availability",
    "availability_confirmed_on",
    "licence_status",
    "licence_verified_on",
)
# The relations a card lists, as (Card field, Therapist relation).
CARD_RELATIONS = (("languages", "languages"), ("specialties", "specialties"))


@dataclasses.dataclass(slots=True)
class Card:
    """One result: what its card shows (therapists/finder/rendering.py writes it)."""

    pk: int
    slug: str
    name: str
    credentials: str
    professional_title: str
    pronouns: str
    practice_name: str
    city: str
    region: str
    in_person: bool
    online: bool
    fee_min: int | None
    fee_max: int | None
    sliding_scale: bool
    availability: str
    availability_confirmed_on: datetime.date | None
    licence_status: str
    licence_verified_on: datetime.date | None
    distance_km: float | None = None
    languages: list[str] = dataclasses.field(default_factory=list)
    specialties: list[str] = dataclasses.field(default_factory=list)

    @property
    def name_with_credentials(self) -> str:
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


class CardPages:
    """The search's ``ResultPages`` (the same two-stage page statement) read as Cards.

    Two queries a page: the page's rows, then the names of their languages and
    specialties in one UNION ALL, ordered by name in the database as the
    vocabularies' ``Meta.ordering`` (and so the profile) orders them. The page's
    statement is compiled once per search shape and page (statements.py).
    """

    # For Paginator, which warns about unordered lists.
    ordered = True

    def __init__(self, search: FinderSearch):
        self.search = search
        self.near = search.params.near

    def __getitem__(self, index: slice) -> list[Card]:
        if not isinstance(index, slice):
            raise TypeError(f"{type(self).__name__} is read a page (a slice) at a time")
        if index.stop is not None and index.stop <= (index.start or 0):
            return []  # no results: the paginator asks for [0:0]; nothing to build or read
        columns = (*CARD_COLUMNS, "distance_km") if self.near else CARD_COLUMNS
        if uses_postgres_search():
            # psycopg returns these columns as the ORM would (no converters on PostgreSQL).
            sql, params = statements.compiled(
                ("cards", index.start or 0, index.stop, columns),
                self.search,
                lambda search: page_statement(search, index, columns),
            )
            rows = statements.execute(sql, params)
        else:  # SQLite's dates and booleans need the ORM's converters
            rows = page_rows(self.search, index).values_list(*columns)
        cards = [Card(*row) for row in rows]
        if cards:
            add_relations(cards)
        return cards


def page_rows(search: FinderSearch, index: slice) -> QuerySet:
    """One page's listings: ``ResultPages`` (ring first when it applies)."""
    return ResultPages(search.results(), NearestFirst.for_search(search)).page(index)


def page_statement(search: FinderSearch, index: slice, columns: tuple) -> tuple[str, list]:
    """The SQL of one page's rows."""
    return page_rows(search, index).values_list(*columns).query.sql_with_params()


def add_relations(cards: list[Card]) -> None:
    """Fill each card's languages and specialties (names, in name order), in one query."""
    by_pk = {card.pk: card for card in cards}
    ids = list(by_pk)
    with connection.cursor() as cursor:
        cursor.execute(relations_sql(len(ids)), ids * len(CARD_RELATIONS))
        for field, name, therapist_id in cursor.fetchall():
            getattr(by_pk[therapist_id], field).append(name)


@functools.cache
def relations_sql(count: int) -> str:
    """``(card field, term name, listing id)`` for ``count`` listings, by field, then name.

    Written once per page size: building it with the ORM (a UNION of two
    annotated querysets) cost more Python than the page's rows.
    """
    quote = connection.ops.quote_name
    placeholders = ", ".join(["%s"] * count)
    parts = []
    for field, relation in CARD_RELATIONS:
        m2m = Therapist._meta.get_field(relation)
        through = quote(m2m.remote_field.through._meta.db_table)
        listing, term = quote(m2m.m2m_column_name()), quote(m2m.m2m_reverse_name())
        target = m2m.related_model._meta
        parts.append(
            f"SELECT '{field}', term.{quote('name')}, link.{listing} "  # noqa: S608 - names only
            f"FROM {through} link JOIN {quote(target.db_table)} term "
            f"ON term.{quote(target.pk.column)} = link.{term} "
            f"WHERE link.{listing} IN ({placeholders})"
        )
    # The vocabularies' Meta.ordering (and so the profile's order) is by name,
    # compared by the database's collation: ordered here by the database too.
    return " UNION ALL ".join(parts) + " ORDER BY 1, 2"
