import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import make_category
from tests.html_elements import active_markup
from tests.therapist_factories import days_ago, make_term, make_therapist
from therapists.models import EffectiveAvailability, Therapist

pytestmark = pytest.mark.django_db


def test_bio_is_rendered_sanitized_and_cached_on_save():
    therapist = make_therapist(bio="I **listen**.\n\n<script>alert(1)</script>[x](javascript:bad)")

    assert "<strong>listen</strong>" in therapist.bio_html
    assert "<script" not in therapist.bio_html
    assert "alert(1)" not in therapist.bio_html
    # The javascript: link may stay as text, as typed; never as a link.
    assert active_markup(therapist.bio_html) == []
    assert "href" not in therapist.bio_html
    assert Therapist.objects.get(pk=therapist.pk).bio_html == therapist.bio_html


def test_bio_html_is_refreshed_even_when_saving_only_the_bio():
    therapist = make_therapist(bio="Old.")
    therapist.bio = "New *text*."
    therapist.save(update_fields=["bio"])

    assert "<em>text</em>" in Therapist.objects.get(pk=therapist.pk).bio_html


def test_listed_returns_only_published_listings():
    published = make_therapist(is_published=True)
    make_therapist(is_published=False)

    assert list(Therapist.objects.listed()) == [published]


@pytest.mark.parametrize(
    ("confirmed_days_ago", "expected"),
    [
        (0, EffectiveAvailability.WAITLIST),
        (60, EffectiveAvailability.WAITLIST),
        (61, EffectiveAvailability.UNKNOWN),
        (None, EffectiveAvailability.UNKNOWN),
    ],
)
def test_availability_becomes_unknown_once_older_than_the_stale_window(
    confirmed_days_ago, expected
):
    confirmed_on = None if confirmed_days_ago is None else days_ago(confirmed_days_ago)
    therapist = make_therapist(
        availability=Therapist.Availability.WAITLIST, availability_confirmed_on=confirmed_on
    )

    assert therapist.effective_availability() == expected
    annotated = Therapist.objects.with_effective_availability().get(pk=therapist.pk)
    assert annotated.current_availability == expected.value
    assert annotated.is_availability_fresh is (expected != EffectiveAvailability.UNKNOWN)


def test_stale_window_follows_the_setting(settings):
    settings.THERAPIST_AVAILABILITY_STALE_DAYS = 10
    therapist = make_therapist(availability_confirmed_on=days_ago(11))

    assert therapist.effective_availability() == EffectiveAvailability.UNKNOWN
    assert therapist.get_effective_availability_display() == "Availability unknown"
    assert not Therapist.objects.availability_fresh().exists()


def test_availability_rank_puts_confirmed_listings_above_stale_ones():
    stale_accepting = make_therapist(name="Stale", availability_confirmed_on=days_ago(90))
    not_accepting = make_therapist(name="Full", availability=Therapist.Availability.NOT_ACCEPTING)
    waitlist = make_therapist(name="Wait", availability=Therapist.Availability.WAITLIST)
    accepting = make_therapist(name="Open")

    ranked = Therapist.objects.with_effective_availability().order_by("availability_rank")

    assert list(ranked) == [accepting, waitlist, not_accepting, stale_accepting]


def test_accepting_new_clients_ignores_stale_claims():
    fresh = make_therapist()
    make_therapist(availability_confirmed_on=days_ago(61))
    make_therapist(availability=Therapist.Availability.WAITLIST)

    assert list(Therapist.objects.accepting_new_clients()) == [fresh]


def test_stale_finds_listings_with_unconfirmed_availability_or_unverified_licence():
    current = make_therapist(
        availability_confirmed_on=days_ago(30), licence_verified_on=days_ago(300)
    )
    old_availability = make_therapist(availability_confirmed_on=days_ago(31))
    never_confirmed = make_therapist(availability_confirmed_on=None)
    old_licence = make_therapist(licence_verified_on=days_ago(400))
    never_verified = make_therapist(licence_verified_on=None)

    assert set(Therapist.objects.stale()) == {
        old_availability,
        never_confirmed,
        old_licence,
        never_verified,
    }
    assert current not in Therapist.objects.stale()
    assert set(Therapist.objects.availability_needs_check()) == {old_availability, never_confirmed}
    assert set(Therapist.objects.licence_needs_check()) == {old_licence, never_verified}


@pytest.mark.parametrize(
    "fields",
    [
        {"fee_min": 150, "fee_max": 100},
        {"latitude": 90.5, "longitude": 0},
        {"latitude": -91, "longitude": 0},
        {"latitude": 0, "longitude": 180.1},
        {"latitude": 45.5, "longitude": None},
        {"latitude": None, "longitude": -122.6},
        {"photo": "therapists/face.jpg", "photo_alt": ""},
    ],
    ids=[
        "fee_min_above_max",
        "latitude_too_high",
        "latitude_too_low",
        "longitude_too_high",
        "latitude_without_longitude",
        "longitude_without_latitude",
        "photo_without_alt",
    ],
)
def test_database_constraints_reject_inconsistent_listings(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_therapist(**fields)


def test_equal_fees_and_valid_coordinates_are_accepted():
    therapist = make_therapist(fee_min=120, fee_max=120, latitude=-90, longitude=180)

    assert therapist.pk and therapist.has_location


def test_full_clean_reports_out_of_range_coordinates_and_fee_order_to_editors():
    therapist = make_therapist()
    therapist.latitude, therapist.longitude = 123, 45
    therapist.fee_min, therapist.fee_max = 200, 100

    with pytest.raises(ValidationError) as excinfo:
        therapist.full_clean()

    assert "latitude" in excinfo.value.message_dict
    assert "The minimum fee cannot be higher than the maximum fee." in excinfo.value.messages


def test_works_with_and_identifies_as_are_separate_relations():
    community = make_term("community", "Example Community")
    serves = make_therapist(communities_served=[community])
    belongs = make_therapist(communities_identifies=[community])

    assert list(community.therapists_serving.all()) == [serves]
    assert list(community.therapists_identifying.all()) == [belongs]
    assert not serves.communities_identifies.exists()


def test_specialty_maps_article_categories():
    category = make_category(name="Anxiety")
    specialty = make_term("specialty", "Anxiety disorders")
    specialty.article_categories.add(category)

    assert list(category.specialties.all()) == [specialty]
