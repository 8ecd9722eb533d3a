"""A small directory around Chicago and New York for the tests of statements kept per
search shape (therapists/finder/statements.py), and helpers to build its searches."""

import math
import random

import pytest
from django.http import QueryDict

from tests.therapist_factories import days_ago, make_term, make_therapist
from therapists.finder import statements
from therapists.finder.query import FinderSearch, load_vocabularies
from therapists.forms import FinderForm
from therapists.models import Therapist

CHICAGO, NEW_YORK = (41.8781, -87.6298), (40.7128, -74.0060)


@pytest.fixture(autouse=True)
def nothing_kept():
    statements.clear()
    yield
    statements.clear()


@pytest.fixture
def listings(db):
    """48 listings around Chicago and New York with terms, genders, formats, fees and
    availability, some stale and some unpublished."""
    rng = random.Random(13)
    kinds = {"age": "age_group"}  # the URL's parameter -> the factory's vocabulary
    terms = {
        kind: [
            make_term(kinds.get(kind, kind), f"{kind} {n}", slug=f"{kind}-{n}") for n in range(3)
        ]
        for kind in ("specialty", "language", "approach", "age", "community", "faith")
    }
    for n in range(48):
        latitude, longitude = (CHICAGO, NEW_YORK)[n % 2]
        reach = 0.3
        make_therapist(
            latitude=latitude + rng.uniform(-reach, reach),
            longitude=longitude + rng.uniform(-reach, reach) / math.cos(math.radians(latitude)),
            specialties=rng.sample(terms["specialty"], rng.randint(0, 2)),
            languages=rng.sample(terms["language"], rng.randint(1, 2)),
            approaches=rng.sample(terms["approach"], rng.randint(0, 2)),
            age_groups=rng.sample(terms["age"], rng.randint(0, 2)),
            communities_served=rng.sample(terms["community"], rng.randint(0, 2)),
            faiths=rng.sample(terms["faith"], rng.randint(0, 1)),
            gender=rng.choice(list(Therapist.Gender.values)),
            in_person=rng.random() < 0.7,
            online=rng.random() < 0.5,
            sliding_scale=rng.random() < 0.3,
            fee_min=rng.choice([60, 90, 120, 150]),
            availability=rng.choice(list(Therapist.Availability.values)),
            availability_confirmed_on=days_ago(rng.choice([1, 30, 400])),
            name=f"{rng.choice(['Okafor', 'Morwell', 'Kesley', 'Lund'])} {n}",
            is_published=n % 11 != 0,
        )
    return terms


def search(query: str) -> FinderSearch:
    return FinderSearch(FinderForm(QueryDict(query), load_vocabularies()).params())


def near(point: tuple[float, float], radius: int = 25) -> str:
    return f"lat={point[0]}&lng={point[1]}&radius={radius}"
