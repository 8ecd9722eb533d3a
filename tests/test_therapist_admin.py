import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_category
from tests.therapist_factories import days_ago, make_report, make_term, make_therapist
from therapists.models import OutdatedInfoReport, Therapist

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:therapists_therapist_changelist")


def listed_names(response) -> set[str]:
    return {therapist.name for therapist in response.context["cl"].result_list}


def test_changelist_requires_staff(client):
    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_changelist_shows_stamps_and_location(staff_client):
    make_therapist(
        name="Avery Example",
        city="Portland",
        region="Oregon",
        availability_confirmed_on=days_ago(3),
        licence_verified_on=days_ago(40),
    )

    response = staff_client.get(CHANGELIST)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Avery Example" in content
    assert "Portland, Oregon" in content
    assert "Accepting new clients" in content
    assert "Active" in content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("stale=any", {"Old availability", "Old licence", "Never verified"}),
        ("stale=availability", {"Old availability"}),
        ("stale=licence", {"Old licence", "Never verified"}),
        ("format=in_person", {"Current", "Old availability", "Old licence"}),
        ("format=online", {"Current", "Never verified"}),
        ("format=both", {"Current"}),
        ("availability__exact=waitlist", {"Old licence"}),
        ("licence_status__exact=unverified", {"Never verified"}),
        ("region=Ontario", {"Never verified"}),
        ("is_published__exact=0", {"Old availability"}),
        ("q=EX-77777", {"Old licence"}),
        ("q=Toronto", {"Never verified"}),
        ("q=Harbour", {"Current"}),
    ],
)
def test_each_filter_and_search_selects_the_expected_listings(staff_client, query, expected):
    make_therapist(name="Current", practice_name="Harbour Counselling", in_person=True)
    make_therapist(
        name="Old availability",
        availability_confirmed_on=days_ago(31),
        in_person=True,
        online=False,
        is_published=False,
    )
    make_therapist(
        name="Old licence",
        licence_number="EX-77777",
        licence_verified_on=days_ago(400),
        availability=Therapist.Availability.WAITLIST,
        online=False,
    )
    make_therapist(
        name="Never verified",
        licence_status=Therapist.LicenceStatus.UNVERIFIED,
        licence_verified_on=None,
        city="Toronto",
        region="Ontario",
        in_person=False,
    )

    response = staff_client.get(f"{CHANGELIST}?{query}")

    assert response.status_code == 200
    assert listed_names(response) == expected


def test_filters_show_facet_counts(staff_client):
    make_therapist(availability_confirmed_on=days_ago(45))
    make_therapist(availability_confirmed_on=days_ago(45))
    make_therapist()

    content = staff_client.get(CHANGELIST).content.decode()

    assert "Availability not confirmed in 30 days (2)" in content
    assert "In person (3)" in content


def test_changelist_query_count_does_not_grow_with_listings(staff_client):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert staff_client.get(CHANGELIST).status_code == 200
        return len(context.captured_queries)

    first = make_therapist()
    make_report(first)
    one = count_queries()
    for _ in range(29):
        make_report(make_therapist(specialties=[make_term("specialty")]))

    assert count_queries() == one


def test_add_and_change_pages_load(staff_client):
    therapist = make_therapist(specialties=[make_term("specialty")])
    make_report(therapist)

    assert staff_client.get(reverse("admin:therapists_therapist_add")).status_code == 200
    change = staff_client.get(reverse("admin:therapists_therapist_change", args=[therapist.pk]))
    assert change.status_code == 200
    assert "The phone number on the listing no longer works." in change.content.decode()


def test_editor_can_create_a_listing_with_vocabularies(staff_client):
    specialty = make_term("specialty", "Grief")
    language = make_term("language", "Spanish")
    data = {
        "name": "Jordan Sample",
        "slug": "jordan-sample",
        "availability": "waitlist",
        "availability_confirmed_on": "2026-01-05",
        "licence_status": "unverified",
        "country": "US",
        "bio": "Hello <script>x()</script>**there**",
        "specialties": [specialty.pk],
        "languages": [language.pk],
        "fee_min": "80",
        "fee_max": "120",
        "reports-TOTAL_FORMS": "0",
        "reports-INITIAL_FORMS": "0",
    }

    response = staff_client.post(reverse("admin:therapists_therapist_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    therapist = Therapist.objects.get(slug="jordan-sample")
    assert list(therapist.specialties.all()) == [specialty]
    assert "<strong>there</strong>" in therapist.bio_html
    assert "<script" not in therapist.bio_html


def test_editor_sees_a_clear_error_when_fees_are_reversed(staff_client):
    data = {
        "name": "Reversed Fees",
        "slug": "reversed-fees",
        "availability": "accepting",
        "licence_status": "unverified",
        "country": "US",
        "fee_min": "200",
        "fee_max": "100",
        "reports-TOTAL_FORMS": "0",
        "reports-INITIAL_FORMS": "0",
    }

    response = staff_client.post(reverse("admin:therapists_therapist_add"), data)

    assert response.status_code == 200
    assert "The minimum fee cannot be higher than the maximum fee." in response.content.decode()
    assert not Therapist.objects.exists()


@pytest.mark.parametrize(
    ("action", "field", "expected"),
    [
        ("licence_verified_today", "licence_verified_on", "today"),
        ("availability_confirmed_today", "availability_confirmed_on", "today"),
        ("publish", "is_published", True),
        ("unpublish", "is_published", False),
    ],
)
def test_actions_update_the_selected_listings_only(staff_client, action, field, expected):
    old = {
        "licence_verified_on": days_ago(500),
        "availability_confirmed_on": days_ago(90),
        "is_published": not expected if isinstance(expected, bool) else True,
    }
    selected = make_therapist(**old)
    untouched = make_therapist(**old)

    response = staff_client.post(
        CHANGELIST, {"action": action, "_selected_action": [selected.pk]}, follow=True
    )

    assert response.status_code == 200
    expected_value = timezone.localdate() if expected == "today" else expected
    selected.refresh_from_db()
    untouched.refresh_from_db()
    assert getattr(selected, field) == expected_value
    assert getattr(untouched, field) == old[field]


def test_licence_action_warns_about_listings_still_marked_unverified(staff_client):
    therapist = make_therapist(licence_status=Therapist.LicenceStatus.UNVERIFIED)

    response = staff_client.post(
        CHANGELIST,
        {"action": "licence_verified_today", "_selected_action": [therapist.pk]},
        follow=True,
    )

    assert "still have the status" in response.content.decode()


def test_vocabulary_changelists_and_autocomplete_work(staff_client):
    make_term("specialty", "Panic attacks")
    make_term("community", "Example Community")

    for model in ("specialty", "approach", "language", "community", "faith", "agegroup"):
        url = reverse(f"admin:therapists_{model}_changelist")
        assert staff_client.get(url).status_code == 200, model
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "panic",
            "app_label": "therapists",
            "model_name": "therapist",
            "field_name": "specialties",
        },
    )
    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == ["Panic attacks"]


def test_specialty_admin_maps_article_categories(staff_client):
    category = make_category(name="Sleep")
    specialty = make_term("specialty", "Insomnia")

    response = staff_client.post(
        reverse("admin:therapists_specialty_change", args=[specialty.pk]),
        {"name": "Insomnia", "slug": specialty.slug, "article_categories": [category.pk]},
    )

    assert response.status_code == 302
    assert list(specialty.article_categories.all()) == [category]


def test_report_admin_lists_filters_and_resolves_reports(staff_client):
    therapist = make_therapist(name="Reported Person")
    new = make_report(therapist)
    done = make_report(therapist, status=OutdatedInfoReport.Status.RESOLVED)
    changelist = reverse("admin:therapists_outdatedinforeport_changelist")

    response = staff_client.get(changelist, {"status__exact": "new"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [new]
    assert reverse("admin:therapists_therapist_change", args=[therapist.pk]) in (
        response.content.decode()
    )

    staff_client.post(changelist, {"action": "mark_resolved", "_selected_action": [new.pk]})
    new.refresh_from_db()
    assert new.status == OutdatedInfoReport.Status.RESOLVED
    assert new.resolved_at is not None
    assert done.status == OutdatedInfoReport.Status.RESOLVED


def test_therapist_changelist_links_open_reports(staff_client):
    therapist = make_therapist()
    make_report(therapist)
    make_report(therapist, status=OutdatedInfoReport.Status.RESOLVED)

    content = staff_client.get(CHANGELIST).content.decode()

    assert f"therapist__id__exact={therapist.pk}&amp;status__exact=new" in content
