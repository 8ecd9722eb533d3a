"""The finder's test directory, built once per test module, and helpers to read its pages."""

import copy
import math

import pytest
from django.db import transaction
from django.urls import reverse

from tests.therapist_factories import days_ago, make_term, make_therapist
from therapists.models import Therapist

FINDER = reverse("therapists:finder")
ORIGIN = (45.0, -122.0)
KM_PER_DEGREE = math.pi * 6371.0 / 180  # along a meridian, as the haversine measures it


def north_of_origin(km: float) -> dict:
    return {"latitude": ORIGIN[0] + km / KM_PER_DEGREE, "longitude": ORIGIN[1]}


def build_directory() -> dict:
    """Five published listings and one unpublished, with known distances from ORIGIN."""
    t = {
        key: make_term(kind, name, slug=slug)
        for key, kind, name, slug in [
            ("anxiety", "specialty", "Anxiety", "anxiety"),
            ("depression", "specialty", "Depression", "depression"),
            ("trauma", "specialty", "Trauma", "trauma"),
            ("cbt", "approach", "Cognitive behavioural therapy", "cbt"),
            ("psychodynamic", "approach", "Psychodynamic", "psychodynamic"),
            ("emdr", "approach", "EMDR", "emdr"),
            ("english", "language", "English", "english"),
            ("spanish", "language", "Spanish", "spanish"),
            ("vietnamese", "language", "Vietnamese", "vietnamese"),
            ("latinx", "community", "Latinx", "latinx"),
            ("lgbtq", "community", "LGBTQ+", "lgbtq"),
            ("christian", "faith", "Christian", "christian"),
            ("adults", "age_group", "Adults", "adults"),
            ("teens", "age_group", "Teens", "teens"),
            ("plan", "insurance_plan", "Example Health Plan", "example-health"),
        ]
    }
    listings = {
        "juniper": make_therapist(
            name="Juniper Testwell",
            city="Portland",
            region="Oregon",
            postal_code="97201",
            **north_of_origin(0),
            specialties=[t["anxiety"]],
            approaches=[t["cbt"]],
            languages=[t["english"], t["spanish"]],
            communities_served=[t["latinx"]],
            communities_identifies=[t["latinx"]],
            faiths=[t["christian"]],
            age_groups=[t["adults"]],
            insurance_plans=[t["plan"]],
            gender=Therapist.Gender.WOMAN,
            in_person=True,
            online=True,
            fee_min=80,
            fee_max=150,
            sliding_scale=True,
            availability=Therapist.Availability.ACCEPTING,
            availability_confirmed_on=days_ago(0),
        ),
        "rowan": make_therapist(
            name="Rowan Fakename",
            city="Portland",
            region="Oregon",
            postal_code="97209",
            **north_of_origin(10),
            specialties=[t["depression"]],
            approaches=[t["psychodynamic"]],
            languages=[t["english"]],
            age_groups=[t["teens"]],
            gender=Therapist.Gender.MAN,
            in_person=True,
            online=False,
            fee_min=200,
            fee_max=200,
            availability=Therapist.Availability.WAITLIST,
            availability_confirmed_on=days_ago(5),
        ),
        "sky": make_therapist(
            name="Sky Placeholder",
            city="Salem",
            region="Oregon",
            postal_code="97301",
            **north_of_origin(40),
            specialties=[t["anxiety"], t["trauma"]],
            approaches=[t["cbt"]],
            languages=[t["english"], t["vietnamese"]],
            communities_served=[t["lgbtq"]],
            gender=Therapist.Gender.NON_BINARY,
            in_person=False,
            online=True,
            fee_min=60,
            fee_max=90,
            sliding_scale=True,
            availability=Therapist.Availability.ACCEPTING,
            availability_confirmed_on=days_ago(90),  # stale: shown as unknown
        ),
        # Inside the 25 km search's bounding box, but 31 km away: a corner.
        "morgan": make_therapist(
            name="Morgan Sampleton",
            city="Seattle",
            region="Washington",
            postal_code="98101",
            latitude=45.2,
            longitude=-122.28,
            specialties=[t["trauma"]],
            approaches=[t["emdr"]],
            languages=[t["english"]],
            gender=Therapist.Gender.WOMAN,
            in_person=True,
            online=False,
            fee_min=120,
            fee_max=120,
            availability=Therapist.Availability.NOT_ACCEPTING,
            availability_confirmed_on=days_ago(10),
        ),
        "casey": make_therapist(
            name="Casey Nocoords",
            city="Eugene",
            region="Oregon",
            postal_code="97401",
            specialties=[t["anxiety"]],
            languages=[t["english"]],
            in_person=False,
            online=True,
            fee_min=None,
            fee_max=None,
            availability=Therapist.Availability.ACCEPTING,
            availability_confirmed_on=days_ago(20),
        ),
    }
    make_therapist(name="Hidden Unpublished", is_published=False, specialties=[t["anxiety"]])
    return {"terms": t, "listings": listings}


@pytest.fixture(scope="module")
def directory_data(django_db_setup, django_db_blocker):
    """The directory, written once per module in a transaction rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_directory()
        transaction.set_rollback(True)


@pytest.fixture
def directory(db, directory_data):
    """The module's directory; each test's writes roll back with its own savepoint.

    Deep-copied, as ``setUpTestData`` does, so a test that changes a listing
    object does not change it for the next test.
    """
    return copy.deepcopy(directory_data)


def names(response) -> list[str]:
    return [therapist.name for therapist in response.context["page_obj"].object_list]


def first_names(response) -> set[str]:
    return {name.split()[0].lower() for name in names(response)}


def option_counts(response, key: str) -> dict[str, int]:
    group = next(g for g in response.context["groups"] if g.key == key)
    return {option.value: option.count for option in group.options}
