from unittest import mock

import pytest
from django.test import RequestFactory

from tests.therapist_factories import make_therapist
from therapists.models import OutdatedInfoReport
from therapists.reports import (
    RATE_LIMIT_MESSAGE,
    ReportForm,
    ReportStatus,
    hash_ip,
    submit_report,
)

pytestmark = pytest.mark.django_db

VALID = {
    "problem": "availability",
    "details": "They told me on the phone the waitlist is closed.",
    "reporter_email": "",
    "homepage": "",
}


def post(data: dict, ip: str = "203.0.113.7"):
    return RequestFactory().post("/therapists/x/", data, REMOTE_ADDR=ip)


def test_valid_report_is_stored_with_an_ip_hash_not_the_ip():
    therapist = make_therapist()

    outcome = submit_report(post({**VALID, "reporter_email": "reader@example.com"}), therapist)

    assert outcome.status == ReportStatus.SAVED and outcome.ok and outcome.http_status == 200
    report = OutdatedInfoReport.objects.get()
    assert report.therapist == therapist
    assert report.problem == OutdatedInfoReport.Problem.AVAILABILITY
    assert report.reporter_email == "reader@example.com"
    assert report.status == OutdatedInfoReport.Status.NEW
    assert report.ip_hash == hash_ip("203.0.113.7")
    assert "203.0.113.7" not in report.ip_hash


def test_filled_honeypot_is_thanked_but_not_stored():
    therapist = make_therapist()

    outcome = submit_report(post({**VALID, "homepage": "http://spam.example"}), therapist)

    assert outcome.status == ReportStatus.DISCARDED
    assert outcome.ok  # the bot learns nothing
    assert not OutdatedInfoReport.objects.exists()


def test_honeypot_field_is_labelled_leave_empty():
    form = ReportForm()

    assert "leave this field empty" in str(form[ReportForm.HONEYPOT_FIELD].label).lower()


def test_rate_limit_stops_the_sixth_report_from_one_reader_on_one_listing(settings):
    settings.THERAPIST_REPORT_RATE_LIMIT = 5
    therapist = make_therapist()

    outcomes = [submit_report(post(VALID), therapist) for _ in range(6)]

    assert [o.status for o in outcomes[:5]] == [ReportStatus.SAVED] * 5
    limited = outcomes[5]
    assert limited.status == ReportStatus.RATE_LIMITED
    assert limited.http_status == 429
    assert RATE_LIMIT_MESSAGE in limited.form.non_field_errors()
    assert OutdatedInfoReport.objects.count() == 5


def test_rate_limit_is_per_reader(settings):
    settings.THERAPIST_REPORT_RATE_LIMIT = 1
    therapist = make_therapist()

    assert submit_report(post(VALID, ip="198.51.100.1"), therapist).ok
    assert not submit_report(post(VALID, ip="198.51.100.1"), therapist).ok
    assert submit_report(post(VALID, ip="198.51.100.2"), therapist).ok


def test_rate_limit_also_caps_one_reader_across_listings(settings):
    settings.THERAPIST_REPORT_RATE_LIMIT = 5
    settings.THERAPIST_REPORT_RATE_LIMIT_PER_IP = 2
    first, second, third = make_therapist(), make_therapist(), make_therapist()

    assert submit_report(post(VALID), first).ok
    assert submit_report(post(VALID), second).ok
    assert submit_report(post(VALID), third).status == ReportStatus.RATE_LIMITED


def test_invalid_submissions_do_not_use_up_the_rate_limit(settings):
    settings.THERAPIST_REPORT_RATE_LIMIT = 1
    therapist = make_therapist()

    invalid = submit_report(post({**VALID, "reporter_email": "not an email"}), therapist)

    assert invalid.status == ReportStatus.INVALID and invalid.http_status == 400
    assert submit_report(post(VALID), therapist).status == ReportStatus.SAVED


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"problem": "everything"},
        {**VALID, "details": "x" * 2001},
        {**VALID, "details": "null \x00 byte"},
        {**VALID, "reporter_email": "a@" + "b" * 300 + ".example"},
        {**VALID, "homepage": "h" * 5000},
    ],
    ids=["empty", "unknown_problem", "too_long", "null_byte", "bad_email", "huge_honeypot"],
)
def test_bad_input_becomes_form_errors_and_stores_nothing(data):
    therapist = make_therapist()

    outcome = submit_report(post(data), therapist)

    assert outcome.status == ReportStatus.INVALID
    assert outcome.form.errors
    assert not OutdatedInfoReport.objects.exists()


def test_non_ascii_details_are_stored_intact():
    therapist = make_therapist()

    submit_report(post({**VALID, "details": "Téléphone ne répond pas — 電話"}), therapist)

    assert OutdatedInfoReport.objects.get().details == "Téléphone ne répond pas — 電話"


def test_a_cache_outage_lets_the_report_through_instead_of_failing():
    therapist = make_therapist()

    with mock.patch("therapists.reports.cache.add", side_effect=ConnectionError("down")):
        outcome = submit_report(post(VALID), therapist)

    assert outcome.status == ReportStatus.SAVED
    assert OutdatedInfoReport.objects.count() == 1
