"""The zero-result report: normalised query and weekly count only, shown past a minimum, purged."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.search.models import ZeroResultQuery
from articles.search.zero_results import record_zero_result, week_of
from tests.factories import make_article
from tests.search.helpers import search_page

pytestmark = pytest.mark.django_db


def test_a_search_that_finds_nothing_is_counted_per_week_normalised(client):
    make_article(title="Sleep", body="sleep")
    search_page(client, "  Trichotillomania  ")
    search_page(client, "TRICHOTILLOMANIA")
    search_page(client, "sleep")
    row = ZeroResultQuery.objects.get()
    assert (row.query, row.count) == ("trichotillomania", 2)
    assert row.week == week_of(timezone.localdate())
    assert row.week.weekday() == 0


def test_nothing_identifying_is_stored_or_set(client):
    response = client.get(
        reverse("articles:search"),
        {"q": "nothingmatches"},
        HTTP_USER_AGENT="Example/1.0 unique-agent",
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.cookies == {}
    assert {field.name for field in ZeroResultQuery._meta.get_fields()} == {
        "id",
        "query",
        "week",
        "count",
    }
    stored = " ".join(
        str(value) for value in ZeroResultQuery.objects.values_list("query", "week", "count").get()
    )
    assert "203.0.113.9" not in stored and "unique-agent" not in stored
    assert "sessionid" not in response.cookies


def test_emails_and_phone_numbers_are_masked(client):
    record_zero_result("call me on +1 (555) 010-9999 or jo@example.com")
    assert ZeroResultQuery.objects.get().query == "call me on [number] or [email]"


def test_admin_lists_only_queries_at_or_above_the_minimum(staff_client, settings):
    settings.SEARCH_ZERO_RESULT_MIN_COUNT = 3
    week = week_of(timezone.localdate())
    ZeroResultQuery.objects.create(query="onceonly", week=week, count=1)
    ZeroResultQuery.objects.create(query="oftenmissed", week=week, count=3)
    html = staff_client.get(reverse("admin:articles_zeroresultquery_changelist")).content.decode()
    assert "oftenmissed" in html and "onceonly" not in html


def test_purge_deletes_rows_older_than_90_days():
    today = timezone.localdate()
    ZeroResultQuery.objects.create(
        query="old", week=week_of(today - datetime.timedelta(days=100)), count=5
    )
    ZeroResultQuery.objects.create(
        query="recent", week=week_of(today - datetime.timedelta(days=20)), count=5
    )
    out = io.StringIO()
    call_command("purge_search_log", stdout=out)
    assert list(ZeroResultQuery.objects.values_list("query", flat=True)) == ["recent"]
    assert "Deleted 1" in out.getvalue()


def test_recording_does_not_invalidate_the_page_cache(client):
    from mhsite.pagecache import current_generation

    before = current_generation()
    record_zero_result("nothing here")
    assert current_generation() == before
