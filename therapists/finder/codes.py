"""The finder's facet codes: one number per vocabulary term and per other facet.

A listing's codes are what the PostgreSQL counts group by: its vocabulary
terms (``finder_terms``, migration 0006) and codes for its formats, gender,
sliding scale and "accepting, confirmed on day N" (``therapists_finder_codes``,
migration 0009). Migrations and the SQL functions they created hold frozen
copies of these numbers: never renumber a group or a value, only add new
numbers, in a new migration that replaces the function and rebuilds the
derived data (``manage.py rebuild_finder``).
"""

import dataclasses
import datetime

from django.contrib.postgres.fields import ArrayField
from django.db.models import BigIntegerField, Expression
from django.db.models.expressions import Col

from ..models import (
    AgeGroup,
    Approach,
    Community,
    Faith,
    InsurancePlan,
    Language,
    Specialty,
    Therapist,
)

FORMAT_IN_PERSON = "in_person"
FORMAT_ONLINE = "online"
FORMAT_CHOICES = [(FORMAT_IN_PERSON, "In person"), (FORMAT_ONLINE, "Online (video or phone)")]

TERM_ID_BITS = 32


def through(relation: str) -> tuple[type, str]:
    """The auto-created through model of a Therapist many-to-many, and its vocabulary FK name."""
    model = Therapist._meta.get_field(relation).remote_field.through
    for field in model._meta.get_fields():
        if field.many_to_one and field.related_model is not Therapist:
            return model, field.name
    raise LookupError(relation)  # pragma: no cover


@dataclasses.dataclass(frozen=True)
class VocabularyGroup:
    """A multi-select filter over one of the listing's vocabulary relations."""

    key: str  # the URL parameter
    label: str
    relation: str  # the Therapist many-to-many field
    vocabulary: str  # the key of the vocabulary in load_vocabularies()
    # Stored in every listing's ``finder_terms`` on PostgreSQL (migration 0006).
    number: int

    @property
    def through(self):
        return through(self.relation)[0]

    @property
    def through_column(self) -> str:
        """The through table's foreign key column to the vocabulary, e.g. ``specialty_id``."""
        return through(self.relation)[1] + "_id"

    def code(self, term_pk: int) -> int:
        """The term as an element of ``finder_terms``: the group number, then the term id."""
        return code(self.number, term_pk)

    def code_range(self) -> tuple[int, int]:
        """The codes of this group's terms are ``low <= code < high``."""
        return group_range(self.number)


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


def code(group: int, number: int) -> int:
    return (group << TERM_ID_BITS) | number


def group_range(number: int) -> tuple[int, int]:
    """The codes of group ``number`` are ``low <= code < high``."""
    return code(number, 0), code(number + 1, 0)


# The finder's other facets, in groups no vocabulary uses.
TOTAL_CODE = 0  # every listed listing has it
FORMAT_GROUP, GENDER_GROUP, SLIDING_GROUP, ACCEPTING_GROUP = 20, 21, 22, 23
FORMAT_CODES = {FORMAT_IN_PERSON: code(FORMAT_GROUP, 1), FORMAT_ONLINE: code(FORMAT_GROUP, 2)}
GENDER_CODES = {
    value: code(GENDER_GROUP, number)
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
SLIDING_CODE = code(SLIDING_GROUP, 1)
# The minimum fee, one code per amount: only in the bitmaps (migration 0019),
# where a maximum fee is the OR of the amounts up to it.
FEE_GROUP = 24


def fee_codes(max_fee: int) -> tuple[int, int]:
    """A minimum fee of at most ``max_fee``: ``low <= code < high``."""
    # Fees are 0 to 2**31 - 1 (a PositiveIntegerField): clamped, the range stays in the group.
    return code(FEE_GROUP, 0), code(FEE_GROUP, min(max(max_fee, -1), 2**31 - 1) + 1)


# Accepting new clients: one code per day availability was last confirmed.
EPOCH = datetime.date(1970, 1, 1)


def accepting_codes(fresh_cutoff: datetime.date) -> tuple[int, int]:
    """Accepting new clients and confirmed since the cutoff: ``low <= code < high``."""
    return code(ACCEPTING_GROUP, (fresh_cutoff - EPOCH).days), code(ACCEPTING_GROUP + 1, 0)


# The listing columns its facet codes are made of, in the argument order of
# migration 0009's ``therapists_finder_codes``.
CODE_COLUMNS = (
    "finder_terms",
    "in_person",
    "online",
    "gender",
    "sliding_scale",
    "availability",
    "availability_confirmed_on",
)


def listing_codes_sql(alias: str) -> str:
    """SQL for a listing's facet codes (migration 0009's ``therapists_finder_codes``)."""
    return f"therapists_finder_codes({', '.join(f'{alias}.{c}' for c in CODE_COLUMNS)})"


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
