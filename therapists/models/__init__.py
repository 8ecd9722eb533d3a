"""The therapist directory's models: listings, the vocabularies they are described
with, readers' reports of outdated information, and the finder's count tables.

Import them from here (``therapists.models``); the submodules are an internal layout.
"""

from ..finder.tables import FinderPair, FinderWordPair
from .listing import Therapist, default_country
from .listing_queries import (
    EffectiveAvailability,
    TherapistQuerySet,
    availability_check_due,
    availability_fresh_cutoff,
    licence_check_due,
)
from .reports import OutdatedInfoReport
from .vocabularies import (
    AgeGroup,
    Approach,
    Community,
    Faith,
    InsurancePlan,
    Language,
    Region,
    Specialty,
    SpecialtyQuerySet,
    Vocabulary,
)

__all__ = [
    "AgeGroup",
    "Approach",
    "Community",
    "EffectiveAvailability",
    "Faith",
    "FinderPair",
    "FinderWordPair",
    "InsurancePlan",
    "Language",
    "OutdatedInfoReport",
    "Region",
    "Specialty",
    "SpecialtyQuerySet",
    "Therapist",
    "TherapistQuerySet",
    "Vocabulary",
    "availability_check_due",
    "availability_fresh_cutoff",
    "default_country",
    "licence_check_due",
]
