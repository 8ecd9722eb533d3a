"""The finder's cards written in Python say exactly what the profile's templates say.

The profile still renders templates/therapists/includes/stamps.html and
fees.html; the finder's cards write the same in therapists/finder/rendering.py.
Each case below renders both and compares them byte for byte.
"""

import datetime
import itertools

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import dateformat

from tests.finder.conftest import FINDER
from tests.therapist_factories import days_ago, make_term, make_therapist
from therapists.finder.cards import CARD_COLUMNS, Card
from therapists.finder.rendering import CardWriter, _time
from therapists.models import Therapist, availability_fresh_cutoff

STATUS = Therapist.LicenceStatus


def card_of(therapist: Therapist, **extra) -> Card:
    values = [getattr(therapist, column) for column in CARD_COLUMNS]
    return Card(*values, **extra)


def writer(from_results: str = "") -> CardWriter:
    return CardWriter(from_results=from_results, fresh_cutoff=availability_fresh_cutoff())


AVAILABILITY_CASES = [
    (availability, confirmed)
    for availability in Therapist.Availability.values
    for confirmed in (days_ago(0), days_ago(59), days_ago(61), days_ago(3000), None)
]
LICENCE_CASES = [
    (status, verified)
    for status in STATUS.values
    for verified in (days_ago(0), datetime.date(2003, 9, 7), None)
]


@pytest.mark.parametrize(
    ("availability", "confirmed", "status", "verified"),
    [(*a, *b) for a, b in zip(AVAILABILITY_CASES, itertools.cycle(LICENCE_CASES), strict=False)]
    + [(*AVAILABILITY_CASES[0], *b) for b in LICENCE_CASES],
)
def test_stamps_are_the_profiles_stamps(availability, confirmed, status, verified):
    therapist = Therapist(
        pk=7,
        availability=availability,
        availability_confirmed_on=confirmed,
        licence_status=status,
        licence_verified_on=verified,
    )
    expected = render_to_string("therapists/includes/stamps.html", {"therapist": therapist})
    assert writer().stamps(card_of(therapist)) == expected


FEES = [None, 0, 60, 200, 1500, 100000]


@pytest.mark.parametrize(
    ("low", "high", "sliding"),
    [(low, high, sliding) for low in FEES for high in FEES for sliding in (False, True)],
)
def test_fees_are_the_profiles_fees(low, high, sliding):
    therapist = Therapist(fee_min=low, fee_max=high, sliding_scale=sliding)
    expected = render_to_string("therapists/includes/fees.html", {"therapist": therapist})
    assert writer().fees(card_of(therapist)) == expected


def test_dates_are_written_as_the_date_filter_writes_them():
    day = datetime.date(1999, 1, 1)
    for offset in range(0, 800, 17):
        shown = day + datetime.timedelta(days=offset)
        assert _time(shown, "en-us") == (
            f'<time datetime="{dateformat.format(shown, "Y-m-d")}">'
            f"{dateformat.format(shown, 'M j, Y')}</time>"
        )


def test_every_value_on_a_card_is_escaped_as_the_template_escapes_it():
    awkward = 'O\'Brien & <b>"Sons"</b>'
    therapist = Therapist(
        pk=3,
        slug="obrien",
        name=awkward,
        credentials=awkward,
        professional_title=awkward,
        pronouns=awkward,
        practice_name=awkward,
        city=awkward,
        region=awkward,
        availability=Therapist.Availability.WAITLIST,
        availability_confirmed_on=days_ago(1),
    )
    escaped = Template("{{ value }}").render(Context({"value": awkward}))
    html = writer(from_results="from=q%3D%3Cb%3E%26x").card(
        card_of(therapist, languages=[awkward], specialties=[awkward])
    )
    assert awkward not in html
    # Name, credentials, title, pronouns, practice, city, region, a language, a specialty.
    assert html.count(escaped) == 9
    assert 'href="/therapists/obrien/?from=q%3D%3Cb%3E%26x"' in html


def test_profile_urls_are_the_reversed_urls():
    cards = writer()
    assert cards.url("plain-slug_2") == reverse("therapists:detail", args=["plain-slug_2"])
    # A slug the URL pattern does not take is reversed itself, and fails as it did.
    with pytest.raises(NoReverseMatch):
        cards.url("zoë")


def test_cards_list_languages_and_specialties_as_the_profile_does(client, db):
    names = ["latinx", "LGBTQ+", "Ålandic", "arabic", "Zulu", "_under"]
    terms = [make_term("language", name, slug=f"lang-{n}") for n, name in enumerate(names)]
    specialties = [make_term("specialty", name, slug=f"spec-{n}") for n, name in enumerate(names)]
    listing = make_therapist(languages=terms, specialties=specialties[:3])
    make_therapist(languages=terms[2:], specialties=[])
    response = client.get(FINDER)
    cards = {card.pk: card for card in response.context["page_obj"].object_list}
    for therapist in Therapist.objects.listed():
        assert cards[therapist.pk].languages == [t.name for t in therapist.languages.all()]
        assert cards[therapist.pk].specialties == [t.name for t in therapist.specialties.all()]
    assert len(cards[listing.pk].languages) == len(names)
