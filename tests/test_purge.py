"""Purging the CDN or Varnish in front by tag: the requests each backend sends
(checked by a local fake API), batching, retries, recorded failures, and
never making a save wait."""

import time

import pytest
from django.test import Client

from mhsite import purge
from mhsite.models import PurgeFailure
from tests.factories import make_article
from tests.fake_http import fake_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(settings, monkeypatch):
    monkeypatch.setattr(purge, "RETRY_DELAYS", (0.01, 0.01))
    with fake_server() as server:
        settings.PAGE_CACHE_PURGE_API = server.url
        settings.PAGE_CACHE_PURGE_URLS = [server.url + "/"]
        settings.PAGE_CACHE_PURGE_ZONE = "zone-123"
        settings.PAGE_CACHE_PURGE_TOKEN = "secret-token"
        yield server


def test_fastly_purges_surrogate_keys_with_its_api_key(api, settings):
    settings.PAGE_CACHE_PURGE_BACKEND = "fastly"
    assert purge.send({"articles.article:1", "article-lists"})
    (request,) = api.requests
    assert (request.method, request.path) == ("POST", "/service/zone-123/purge")
    assert request.headers["fastly-key"] == "secret-token"
    assert request.json() == {"surrogate_keys": ["article-lists", "articles.article:1"]}


def test_cloudflare_purges_tags_in_batches_of_thirty(api, settings):
    settings.PAGE_CACHE_PURGE_BACKEND = "cloudflare"
    tags = {f"therapists.therapist:{n}" for n in range(45)}
    assert purge.send(tags)
    assert [r.path for r in api.requests] == ["/client/v4/zones/zone-123/purge_cache"] * 2
    assert all(r.headers["authorization"] == "Bearer secret-token" for r in api.requests)
    sent = [tag for r in api.requests for tag in r.json()["tags"]]
    assert sorted(sent) == sorted(tags)
    assert [len(r.json()["tags"]) for r in api.requests] == [30, 15]


def test_varnish_purges_by_xkey_header(api, settings):
    settings.PAGE_CACHE_PURGE_BACKEND = "varnish"
    settings.PAGE_CACHE_TAG_PREFIX = "site1-"
    assert purge.send({"all", "finder"})
    (request,) = api.requests
    assert request.method == "PURGE"
    assert request.headers["xkey"] == "site1-all site1-finder"


def test_failures_are_retried_then_recorded_for_the_admin(api, settings, admin_client):
    settings.PAGE_CACHE_PURGE_BACKEND = "fastly"
    api.statuses = [503, 503]
    assert purge.send({"finder"})  # the third attempt succeeds
    assert len(api.requests) == 3
    assert not PurgeFailure.objects.exists()
    api.statuses = [500, 500, 500]
    assert not purge.send({"finder"})
    failure = PurgeFailure.objects.get()
    assert (failure.backend, failure.tags, failure.attempts) == ("fastly", "finder", 3)
    assert "500" in failure.error
    page = admin_client.get("/admin/mhsite/purgefailure/")
    assert page.status_code == 200
    assert "finder" in page.content.decode()


def test_unreachable_backend_is_recorded_not_raised(settings, monkeypatch):
    monkeypatch.setattr(purge, "RETRY_DELAYS", (0.01,))
    settings.PAGE_CACHE_PURGE_BACKEND = "cloudflare"
    settings.PAGE_CACHE_PURGE_API = "http://127.0.0.1:9"  # discard port: refused
    assert not purge.send({"finder"})
    assert PurgeFailure.objects.get().attempts == 2


@pytest.mark.django_db(transaction=True)
def test_a_save_purges_after_commit_in_the_background_without_waiting(api, settings):
    settings.PAGE_CACHE_PURGE_BACKEND = "fastly"
    article = make_article(title="Sleeping well")
    assert purge.flush()
    api.requests.clear()
    api.statuses = [500, 500]  # two retries, 1.2 s: the save must not wait for them
    started = time.monotonic()
    article.title = "Sleeping better"
    article.save()
    assert time.monotonic() - started < settings.PAGE_CACHE_PURGE_WAIT + 0.25
    assert purge.flush()
    keys = {key for r in api.requests for key in r.json()["surrogate_keys"]}
    assert {f"articles.article:{article.pk}", "article-lists"} <= keys
    assert "app:articles" not in keys  # an attributed save is not the app-wide fallback


def test_long_edge_lifetime_with_stale_if_error_when_purging(settings):
    settings.PAGE_CACHE_PURGE_BACKEND = "fastly"
    settings.PAGE_CACHE_CDN_SECONDS = 4 * 3600
    settings.PAGE_CACHE_CDN_STALE_SECONDS = 86400
    article = make_article(title="Sleeping well")
    response = Client().get(article.get_absolute_url())
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"public", "max-age=0", "stale-while-revalidate=86400", "stale-if-error=86400"} <= (
        directives
    )
    s_maxage = next(int(d.split("=")[1]) for d in directives if d.startswith("s-maxage="))
    assert 0 < s_maxage <= 4 * 3600  # capped at midnight at most


def test_edge_lifetime_stops_at_the_next_scheduled_publication(client):
    import datetime

    from django.utils import timezone

    make_article(title="Later", published_at=timezone.now() + datetime.timedelta(seconds=30))
    article = make_article(title="Now")
    response = client.get("/articles/")
    s_maxage = next(
        int(d.split("=")[1]) for d in response["Cache-Control"].split(", ") if "s-maxage" in d
    )
    assert s_maxage <= 30
    assert client.get(article.get_absolute_url()).status_code == 200
