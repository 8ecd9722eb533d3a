"""The therapist profile page and its "report outdated information" form."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.therapist_factories import days_ago, make_term, make_therapist
from therapists.models import OutdatedInfoReport, Therapist


@pytest.fixture
def therapist(db):
    return make_therapist(
        name="Indigo Examplesson",
        credentials="LMFT",
        pronouns="they/them",
        gender_identity="Non-binary, in their words",
        professional_title="Licensed Marriage and Family Therapist",
        practice_name="Example Harbour Therapy",
        address_line="12 Example Street",
        bio="I work with **couples** and families.\n\n<script>alert(1)</script>",
        specialties=[make_term("specialty", "Grief")],
        approaches=[make_term("approach", "Narrative therapy")],
        languages=[make_term("language", "Tagalog")],
        communities_served=[make_term("community", "Veterans")],
        communities_identifies=[make_term("community", "Filipino")],
        faiths=[make_term("faith", "Buddhist")],
        age_groups=[make_term("age_group", "Couples")],
        insurance_plans=[make_term("insurance_plan", "Example Care Plan")],
        telehealth_regions=[make_term("region", "Oregon")],
        fee_min=100,
        fee_max=160,
        superbills=True,
        website="https://example.com/indigo",
        email="indigo@example.com",
        phone="555 0100",
        licence_source_url="https://example.com/register/indigo",
    )


def report_url(therapist: Therapist) -> str:
    return reverse("therapists:report", kwargs={"slug": therapist.slug})


def test_profile_shows_everything_with_dates(client, therapist):
    response = client.get(therapist.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    for text in [
        "Indigo Examplesson, LMFT",
        "Pronouns: they/them",
        "Non-binary, in their words",
        "Example Harbour Therapy",
        "12 Example Street",
        "<strong>couples</strong>",
        "Grief",
        "Narrative therapy",
        "Tagalog",
        "Veterans",
        "Filipino",
        "Buddhist",
        "Couples",
        "Example Care Plan",
        "Online sessions offered in</dt>",
        "100–160 USD per session",
        "Provided",
        "Licence: Active",
        f'verified <time datetime="{therapist.licence_verified_on:%Y-%m-%d}">',
        f'confirmed <time datetime="{therapist.availability_confirmed_on:%Y-%m-%d}">',
        'href="https://example.com/register/indigo"',
        'href="https://example.com/indigo"',
        'href="mailto:indigo@example.com"',
        'href="tel:5550100"',
    ]:
        assert text in page, text
    assert "<script>alert(1)</script>" not in page
    # "Works with" and "identifies as" stay separate.
    assert (
        page.index("Works with communities") < page.index("Veterans") < page.index("Identifies as")
    )


def test_profile_publishes_only_the_contact_details_the_therapist_chose(client, db):
    therapist = make_therapist(email="", phone="", website="")
    page = client.get(therapist.get_absolute_url()).content.decode()
    assert "mailto:" not in page and "@example.com" not in page
    assert "has not published contact details" in page


def test_stale_availability_shows_unknown_on_the_profile(client, db):
    therapist = make_therapist(availability_confirmed_on=days_ago(61))
    page = client.get(therapist.get_absolute_url()).content.decode()
    assert "Availability unknown" in page
    assert "Accepting new clients</strong>" not in page


def test_unpublished_and_unknown_profiles_are_404(client, db):
    hidden = make_therapist(is_published=False)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(reverse("therapists:detail", kwargs={"slug": "nobody"})).status_code == 404
    assert client.post(report_url(hidden), {"problem": "fees"}).status_code == 404


def test_profile_query_count_is_constant(client, therapist, django_assert_num_queries):
    bare = make_therapist()
    client.get(reverse("therapists:finder"))  # the page cache's once-per-generation lookup
    for listing in (therapist, bare):
        with django_assert_num_queries(10):
            assert client.get(listing.get_absolute_url()).status_code == 200


def test_only_the_profile_page_sets_the_csrf_cookie(client, therapist):
    assert "csrftoken" not in client.get(reverse("therapists:finder")).cookies
    response = client.get(therapist.get_absolute_url())
    assert "csrftoken" in response.cookies
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_report_is_stored_and_the_reader_redirected_with_a_thank_you(therapist):
    client = Client(enforce_csrf_checks=True)
    page = client.get(therapist.get_absolute_url())
    token = page.cookies["csrftoken"].value
    response = client.post(
        report_url(therapist),
        {"problem": "fees", "details": "Fees went up last month.", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert response["Location"] == therapist.get_absolute_url() + "#report"
    report = OutdatedInfoReport.objects.get()
    assert (report.therapist, report.problem, report.details) == (
        therapist,
        "fees",
        "Fees went up last month.",
    )
    assert report.ip_hash and "127.0.0.1" not in report.ip_hash
    followed = client.get(response["Location"])
    assert "Thank you. An editor will check this listing." in followed.content.decode()


def test_report_without_csrf_token_is_refused(therapist):
    client = Client(enforce_csrf_checks=True)
    response = client.post(report_url(therapist), {"problem": "fees"})
    assert response.status_code == 403
    assert not OutdatedInfoReport.objects.exists()


def test_invalid_report_rerenders_the_profile_with_errors_and_stores_nothing(client, therapist):
    response = client.post(report_url(therapist), {"problem": "bogus", "details": "x"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Indigo Examplesson" in page
    assert 'class="field-error"' in page
    assert not OutdatedInfoReport.objects.exists()


def test_honeypot_report_is_thanked_but_not_stored(client, therapist):
    response = client.post(
        report_url(therapist), {"problem": "fees", "homepage": "http://spam.example.com"}
    )
    assert response.status_code == 302
    assert not OutdatedInfoReport.objects.exists()


def test_honeypot_field_is_hidden_from_people(client, therapist):
    page = client.get(therapist.get_absolute_url()).content.decode()
    assert '<p class="honeypot" aria-hidden="true">' in page
    assert 'name="homepage"' in page and 'tabindex="-1"' in page


def test_reports_are_rate_limited_per_reader(client, therapist, settings):
    settings.THERAPIST_REPORT_RATE_LIMIT = 2
    for _ in range(2):
        assert client.post(report_url(therapist), {"problem": "fees"}).status_code == 302
    response = client.post(report_url(therapist), {"problem": "fees"})
    assert response.status_code == 429
    assert "try again later" in response.content.decode()
    assert OutdatedInfoReport.objects.count() == 2
    # Another reader is not affected.
    other = client.post(report_url(therapist), {"problem": "fees"}, REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 302
    assert OutdatedInfoReport.objects.count() == 3


def test_a_get_of_the_report_address_goes_to_the_profiles_form(client, therapist):
    response = client.get(report_url(therapist))
    assert response.status_code == 302
    assert response["Location"] == therapist.get_absolute_url() + "#report"
    assert client.put(report_url(therapist)).status_code == 405


def test_report_errors_are_summarised_first_and_the_title_says_error(client, therapist):
    response = client.post(report_url(therapist), {"problem": "bogus", "details": "x"})
    page = response.content.decode()
    title = page.split("<title>")[1].split("</title>")[0]
    assert title.startswith("Error: Indigo Examplesson")
    summary_at = page.index("data-error-summary")
    assert summary_at < page.index('name="problem"')  # above the fields
    assert '<a href="#id_problem">' in page  # each error links to its field
    # The summary takes focus from a static script (strict CSP: no inline scripts).
    assert "js/error-summary.js" in page
    assert "<script>" not in page.split("<body")[1]
    ok = client.get(therapist.get_absolute_url()).content.decode()
    assert "error-summary.js" not in ok
    assert "<title>Error:" not in ok


def test_the_thank_you_takes_the_forms_place(client, therapist):
    response = client.post(report_url(therapist), {"problem": "fees"}, follow=True)
    page = response.content.decode()
    report = page[page.index('id="report"') :]
    assert "Thank you. An editor will check this listing." in report
    assert "<form" not in report
    # The next visit shows the form again.
    again = client.get(therapist.get_absolute_url()).content.decode()
    assert 'action="' + report_url(therapist) + '"' in again


def test_back_to_results_carries_the_search(client, therapist):
    plain = client.get(therapist.get_absolute_url()).content.decode()
    assert '<a href="/therapists/">Back to the finder</a>' in plain
    from_search = client.get(
        therapist.get_absolute_url(), {"from": "language=tagalog&q=Indigo&page=2"}
    ).content.decode()
    assert (
        '<a href="/therapists/?language=tagalog&amp;q=Indigo&amp;page=2">Back to results</a>'
        in from_search
    )


def test_sitemap_lists_listed_profiles_only(client, therapist, db):
    hidden = make_therapist(is_published=False)
    page = client.get("/sitemap.xml").content.decode()
    assert therapist.get_absolute_url() in page
    assert hidden.get_absolute_url() not in page
