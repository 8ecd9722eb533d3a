"""Small helpers that build the therapist-directory data each test needs."""

import datetime
import itertools

from django.utils import timezone

from therapists.models import (
    AgeGroup,
    Approach,
    Community,
    Faith,
    InsurancePlan,
    Language,
    OutdatedInfoReport,
    Region,
    Specialty,
    Therapist,
)

_counter = itertools.count(1)

VOCABULARY_MODELS = {
    "specialty": Specialty,
    "approach": Approach,
    "language": Language,
    "community": Community,
    "faith": Faith,
    "age_group": AgeGroup,
    "insurance_plan": InsurancePlan,
    "region": Region,
}

M2M_FIELDS = (
    "specialties",
    "approaches",
    "languages",
    "faiths",
    "age_groups",
    "communities_served",
    "communities_identifies",
    "insurance_plans",
    "telehealth_regions",
)


def _next() -> int:
    return next(_counter)


def make_term(kind: str, name: str | None = None, **fields):
    """A vocabulary term, e.g. ``make_term("specialty", "Anxiety")``."""
    model = VOCABULARY_MODELS[kind]
    n = _next()
    name = name or f"{model._meta.verbose_name.title()} {n}"
    fields.setdefault("slug", f"{kind.replace('_', '-')}-{n}")
    return model.objects.create(name=name, **fields)


def make_therapist(**fields) -> Therapist:
    """A published listing, confirmed and verified today, unless told otherwise.

    Many-to-many values (``specialties=[...]`` etc.) are set after creation.
    """
    n = _next()
    today = timezone.localdate()
    relations = {name: fields.pop(name) for name in M2M_FIELDS if name in fields}
    fields.setdefault("name", f"Avery Example {n}")
    fields.setdefault("slug", f"avery-example-{n}")
    fields.setdefault("professional_title", "Licensed Clinical Social Worker")
    fields.setdefault("credentials", "LCSW")
    fields.setdefault("licence_type", "LCSW")
    fields.setdefault("licence_number", f"EX-{n:05d}")
    fields.setdefault("licence_jurisdiction", "Oregon")
    fields.setdefault("licence_status", Therapist.LicenceStatus.ACTIVE)
    fields.setdefault("licence_verified_on", today)
    fields.setdefault("bio", f"I help adults with example concerns ({n}).")
    fields.setdefault("city", "Portland")
    fields.setdefault("region", "Oregon")
    fields.setdefault("postal_code", "97201")
    fields.setdefault("country", "US")
    fields.setdefault("in_person", True)
    fields.setdefault("online", True)
    fields.setdefault("availability", Therapist.Availability.ACCEPTING)
    fields.setdefault("availability_confirmed_on", today)
    fields.setdefault("email", f"avery{n}@example.com")
    fields.setdefault("is_published", True)
    therapist = Therapist.objects.create(**fields)
    for name, values in relations.items():
        getattr(therapist, name).set(values)
    return therapist


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def make_report(therapist: Therapist, **fields) -> OutdatedInfoReport:
    fields.setdefault("problem", OutdatedInfoReport.Problem.AVAILABILITY)
    fields.setdefault("details", "The phone number on the listing no longer works.")
    return OutdatedInfoReport.objects.create(therapist=therapist, **fields)
