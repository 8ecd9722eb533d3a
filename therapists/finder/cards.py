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
from itertools import groupby

from django.db.models import CharField, F, QuerySet, Value

from ..models import Therapist
from .query import ResultPages

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


class CardPages(ResultPages):
    """``ResultPages`` (the same two-stage page statement) read as Cards.

    Two queries a page: the page's rows, then the names of their languages and
    specialties in one UNION ALL, ordered by name in the database as the
    vocabularies' ``Meta.ordering`` (and so the profile) orders them.
    """

    def __init__(self, results: QuerySet, *, near: bool):
        super().__init__(results)
        self.near = near

    def __getitem__(self, index: slice) -> list[Card]:
        if not isinstance(index, slice):
            raise TypeError("CardPages is read a page (a slice) at a time")
        page = self.results.filter(pk__in=self.results.values("pk")[index])
        columns = (*CARD_COLUMNS, "distance_km") if self.near else CARD_COLUMNS
        cards = [Card(*row) for row in page.values_list(*columns)]
        if cards:
            add_relations(cards)
        return cards


def add_relations(cards: list[Card]) -> None:
    """Fill each card's languages and specialties (names, in name order), in one query."""
    by_pk = {card.pk: card for card in cards}
    parts = []
    for field, relation in CARD_RELATIONS:
        through = getattr(Therapist, relation).through
        target = Therapist._meta.get_field(relation).m2m_reverse_field_name()
        parts.append(
            through.objects.filter(therapist_id__in=list(by_pk))
            .order_by()
            .annotate(
                card_field=Value(field, output_field=CharField()),
                term_name=F(f"{target}__name"),
            )
            .values_list("card_field", "term_name", "therapist_id")
        )
    rows = parts[0].union(*parts[1:], all=True).order_by("card_field", "term_name")
    for field, group in groupby(rows, key=lambda row: row[0]):
        for _field, name, therapist_id in group:
            getattr(by_pk[therapist_id], field).append(name)
