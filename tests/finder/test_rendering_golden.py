"""The finder page renders exactly the markup it rendered before its rendering was rewritten.

The files in tests/golden/finder/ were rendered by the template-only finder
page (62 includes a request) just before the facet controls and result cards
moved to Python (therapists/finder/rendering.py), from the listings below.
Dates are relative to today, so each ``<time>`` is checked against Django's
own ``date`` filter and then written as days before today; a card's id
carries the listing's primary key, written as its slug. Everything else must
be byte for byte the same: labels, counts, disabled options, chips, links,
escaping and whitespace.

Regenerate (only when a change to the page is intended):
``FINDER_GOLDEN_WRITE=1 .venv/bin/pytest tests/finder/test_rendering_golden.py``.
"""

import os
import re
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import dateformat, timezone

from tests.finder.conftest import FINDER
from tests.therapist_factories import days_ago, make_term, make_therapist
from therapists.models import Therapist

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "finder"
WRITE = os.environ.get("FINDER_GOLDEN_WRITE") == "1"

# name -> query string; each a state of the page readers reach.
SEARCHES = {
    "everything": "",
    "one-specialty": "specialty=anxiety",
    "several-filters": "specialty=anxiety&format=online&accepting=on&language=spanish",
    "fees-and-gender": "max_fee=150&sliding_scale=on&gender=woman&gender=non_binary",
    "near-me": "lat=45&lng=-122&radius=50",
    "near-nearest-first": "lat=45&lng=-122&radius=100&sort=nearest&include_online=on",
    "location-text": "location=Portland",
    "words-a-name": "q=Testwell",
    "words-understood": "q=spanish+therapist+portland",
    "words-as-text": "q=spanish&as_text=on",
    "second-page": "page=2",
    "bad-input": "page=zz&max_fee=-3&specialty=nope&colour=blue&lat=91",
    "empty-ways-out": "lat=45&lng=-122&radius=5&specialty=depression&format=online",
    "empty-resemblances": "q=anxeity+salemm&lat=45&lng=-122&radius=5",
    "empty-no-way-out": "specialty=depression&language=vietnamese&faith=christian&format=online",
}


def build_listings() -> dict[str, Therapist]:
    """Listings covering every branch of a result card, with fixed slugs."""
    t = {
        slug: make_term(kind, name, slug=slug)
        for kind, name, slug in [
            ("specialty", "Anxiety", "anxiety"),
            ("specialty", "Depression", "depression"),
            ("specialty", "Trauma & PTSD", "trauma"),
            ("approach", "Cognitive behavioural therapy (CBT)", "cbt"),
            ("approach", "EMDR", "emdr"),
            ("language", "English", "english"),
            ("language", "Spanish", "spanish"),
            ("language", "Vietnamese", "vietnamese"),
            ("community", "LGBTQ+", "lgbtq"),
            ("community", 'People "in between" <jobs>', "between-jobs"),
            ("faith", "Christian", "christian"),
            ("age_group", "Teens", "teens"),
            ("insurance_plan", "Example Health Plan", "example-health"),
        ]
    }
    status = Therapist.LicenceStatus
    listings = [
        {
            "name": "Juniper Testwell",
            "slug": "juniper-testwell",
            "pronouns": "she/her",
            "practice_name": "Riverside Counselling & Co",
            "city": "Portland",
            "latitude": 45.0,
            "longitude": -122.0,
            "specialties": [t["anxiety"], t["trauma"]],
            "approaches": [t["cbt"]],
            "languages": [t["english"], t["spanish"]],
            "communities_served": [t["lgbtq"], t["between-jobs"]],
            "faiths": [t["christian"]],
            "age_groups": [t["teens"]],
            "insurance_plans": [t["example-health"]],
            "gender": Therapist.Gender.WOMAN,
            "fee_min": 80,
            "fee_max": 1500,
            "sliding_scale": True,
            "availability_confirmed_on": days_ago(0),
        },
        {
            "name": "Rowan <Fakename>",
            "slug": "rowan-fakename",
            "credentials": "",
            "professional_title": "",
            "pronouns": "he/him",
            "city": "Portland",
            "latitude": 45.09,
            "longitude": -122.0,
            "specialties": [t["depression"]],
            "languages": [t["english"]],
            "gender": Therapist.Gender.MAN,
            "online": False,
            "fee_min": 200,
            "fee_max": 200,
            "availability": Therapist.Availability.WAITLIST,
            "availability_confirmed_on": days_ago(5),
            "licence_status": status.EXPIRED,
            "licence_verified_on": days_ago(400),
        },
        {
            "name": "Sky Placeholder",
            "slug": "sky-placeholder",
            "credentials": "PhD, LMFT",
            "city": "Salem",
            "region": "",
            "latitude": 45.36,
            "longitude": -122.0,
            "specialties": [t["anxiety"]],
            "languages": [t["vietnamese"]],
            "gender": Therapist.Gender.NON_BINARY,
            "in_person": False,
            "fee_min": 60,
            "fee_max": None,
            "availability_confirmed_on": days_ago(90),  # stale: "too long ago to rely on"
            "licence_status": status.UNVERIFIED,
            "licence_verified_on": None,
        },
        {
            "name": "Morgan Sampleton",
            "slug": "morgan-sampleton",
            "professional_title": "Psychologist",
            "pronouns": "",
            "city": "Seattle",
            "region": "Washington",
            "latitude": 45.2,
            "longitude": -122.28,
            "specialties": [t["trauma"]],
            "approaches": [t["emdr"]],
            "in_person": True,
            "online": False,
            "fee_min": None,
            "fee_max": 120,
            "availability": Therapist.Availability.NOT_ACCEPTING,
            "availability_confirmed_on": days_ago(10),
            "licence_status": status.NOT_FOUND,
        },
        {
            "name": "Casey Nocoords",
            "slug": "casey-nocoords",
            "city": "Eugene",
            "specialties": [],
            "in_person": False,
            "online": False,
            "fee_min": None,
            "fee_max": None,
            "availability_confirmed_on": None,  # never confirmed
        },
    ]
    made = {fields["slug"]: make_therapist(**fields) for fields in listings}
    make_therapist(name="Hidden Unpublished", slug="hidden", is_published=False)
    return made


@pytest.fixture(scope="module")
def listings(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_listings()
        transaction.set_rollback(True)


TIME_RE = re.compile(r'<time datetime="(\d{4})-(\d{2})-(\d{2})">([^<]*)</time>')


def normalise(html: str, listings: dict[str, Therapist]) -> str:
    """Dates as days before today (each checked against Django's date format), ids as slugs."""
    today = timezone.localdate()

    def relative(match: re.Match) -> str:
        day = today.replace(year=int(match[1]), month=int(match[2]), day=int(match[3]))
        assert match[4] == dateformat.format(day, "M j, Y"), match[0]
        return f'<time datetime="today-{(today - day).days}">today-{(today - day).days}</time>'

    html = TIME_RE.sub(relative, html)
    for slug, listing in listings.items():
        html = html.replace(f'"therapist-{listing.pk}-name"', f'"therapist-{slug}-name"')
    return html


@pytest.mark.parametrize("name", SEARCHES)
def test_finder_page_renders_as_before(client, db, listings, settings, name):
    settings.THERAPIST_FINDER_PER_PAGE = 3  # so that "second-page" has a pager
    response = client.get(f"{FINDER}?{SEARCHES[name]}")
    assert response.status_code == 200
    html = normalise(response.content.decode(), listings)
    path = GOLDEN / f"{name}.html"
    if WRITE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(html, encoding="utf-8")
    assert html == path.read_text(encoding="utf-8")


def test_every_golden_file_has_a_search():
    assert {path.stem for path in GOLDEN.glob("*.html")} == set(SEARCHES)
