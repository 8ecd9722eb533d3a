"""The therapist directory's cached pages: the profile and the finder."""

import re

import pytest
from django.test import Client

from tests.page_cache.helpers import assert_cached_then_shows, get

pytestmark = pytest.mark.django_db


@pytest.fixture
def therapist():
    from tests.therapist_factories import make_term, make_therapist

    return make_therapist(name="Avery Listed", specialties=[make_term("specialty", "Grief")])


def test_therapist_profile_is_cached_with_its_report_form_working(therapist):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    url = therapist.get_absolute_url()
    first.get(url)
    page = second.get(url)
    assert page["X-Page-Cache"] == "hit"
    assert "csrftoken" in page.cookies
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    report = second.post(
        f"{url}report/",
        {
            "csrfmiddlewaretoken": token.group(1),
            "problem": "availability",
            "details": "The listed phone number no longer answers.",
        },
    )
    assert report.status_code == 302
    assert therapist.reports.count() == 1
    # The thank-you message rides in a cookie: that page is rendered for this reader alone.
    thanked = second.get(url)
    assert "X-Page-Cache" not in thanked
    assert "private" in thanked["Cache-Control"]


def test_therapist_edit_shows_at_once_on_profile_and_finder(client, therapist):
    def change():
        therapist.name = "Avery Renamed"
        therapist.save()

    assert_cached_then_shows(client, "/therapists/", change, "Avery Renamed")
    get(client, therapist.get_absolute_url())
    assert "Avery Renamed" in get(client, therapist.get_absolute_url()).content.decode()


def test_therapist_admin_bulk_action_shows_at_once(client, therapist):
    from therapists.models import Therapist

    url = therapist.get_absolute_url()
    get(client, url)
    assert get(client, url)["X-Page-Cache"] == "hit"
    Therapist.objects.filter(pk=therapist.pk).update(is_published=False)
    assert get(client, url).status_code == 404


def test_vocabulary_rename_and_membership_show_at_once(client, therapist):
    from tests.therapist_factories import make_term

    specialty = therapist.specialties.get()

    def rename():
        specialty.name = "Grief and loss"
        specialty.save()

    assert_cached_then_shows(client, therapist.get_absolute_url(), rename, "Grief and loss")
    language = make_term("language", "Portuguese")
    assert_cached_then_shows(
        client,
        therapist.get_absolute_url(),
        lambda: therapist.languages.add(language),
        "Portuguese",
    )


def test_finder_results_are_cached_per_query_string(client, therapist):
    from tests.therapist_factories import make_therapist

    make_therapist(name="Blair Other")
    everyone = get(client, "/therapists/").content.decode()
    searched = get(client, "/therapists/?q=Avery").content.decode()
    assert "Blair Other" in everyone
    assert "Blair Other" not in searched
    assert get(client, "/therapists/?q=Avery")["X-Page-Cache"] == "hit"
