"""The demo therapist directory: ``load_demo_therapists`` and ``loaddemo``."""

import io

import pytest
from django.core.management import call_command

from tests.factories import make_category
from tests.seed_commands import snapshot
from therapists.demo import DEMO_COUNT, load_demo_therapists
from therapists.models import Community, EffectiveAvailability, Specialty, Therapist

pytestmark = pytest.mark.django_db


def test_demo_loads_about_forty_varied_fictional_listings():
    load_demo_therapists()

    listings = Therapist.objects.all()
    assert listings.count() == DEMO_COUNT
    assert listings.values("city").distinct().count() >= 5
    assert all(t.email == "" or t.email.endswith("@example.com") for t in listings)
    assert all("555-01" in t.phone for t in listings)
    assert all("fictional" in t.bio for t in listings)
    states = {t.effective_availability() for t in listings}
    assert {
        EffectiveAvailability.ACCEPTING,
        EffectiveAvailability.WAITLIST,
        EffectiveAvailability.NOT_ACCEPTING,
        EffectiveAvailability.UNKNOWN,
    } <= states
    assert listings.stale().exists()
    assert listings.filter(licence_status=Therapist.LicenceStatus.EXPIRED).exists()
    assert listings.filter(licence_status=Therapist.LicenceStatus.UNVERIFIED).exists()
    assert listings.filter(is_published=False).exists()
    assert listings.filter(gender=Therapist.Gender.NON_BINARY).exists()
    assert Community.objects.filter(therapists_identifying__isnull=False).exists()
    assert listings.filter(latitude__isnull=False).count() == DEMO_COUNT


def test_demo_is_idempotent():
    load_demo_therapists()
    first = snapshot()

    load_demo_therapists()
    load_demo_therapists(update=True)

    assert Therapist.objects.count() == DEMO_COUNT
    assert snapshot() == first


def test_demo_keeps_editors_changes_unless_asked_to_update():
    load_demo_therapists()
    edited = Therapist.objects.order_by("pk").first()
    Therapist.objects.filter(pk=edited.pk).update(city="Edited City")
    missing = Therapist.objects.order_by("pk").last()
    missing.delete()

    load_demo_therapists()

    assert Therapist.objects.get(pk=edited.pk).city == "Edited City"
    assert Therapist.objects.filter(slug=missing.slug).exists()  # recreated
    load_demo_therapists(update=True)
    assert Therapist.objects.get(pk=edited.pk).city != "Edited City"


def test_demo_maps_existing_article_categories_to_specialties_only():
    anxiety = make_category(name="anxiety")  # matched case-insensitively
    out = io.StringIO()

    load_demo_therapists(out)

    assert set(anxiety.specialties.values_list("name", flat=True)) == {"Anxiety", "OCD"}
    assert not Specialty.objects.get(name="Depression").article_categories.exists()
    assert "2 article category links" in out.getvalue()


def test_demo_leaves_specialties_editors_mapped_alone():
    load_demo_therapists()
    anxiety_specialty = Specialty.objects.get(name="Anxiety")
    editors_choice = make_category(name="Worry")
    anxiety_specialty.article_categories.set([editors_choice])
    make_category(name="Anxiety")

    load_demo_therapists()

    assert list(anxiety_specialty.article_categories.all()) == [editors_choice]
    assert Specialty.objects.get(name="OCD").article_categories.get().name == "Anxiety"


def test_loaddemo_loads_the_demo_directory():
    call_command("loaddemo", stdout=io.StringIO())

    assert Therapist.objects.count() == DEMO_COUNT
