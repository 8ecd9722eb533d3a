"""An anonymous page-cache hit is answered by the WSGI application before Django
builds a request: no middleware, no session, no database query, and the same
page and headers as Django's own answer from the cache.

Requests go through ``mhsite.fasthit.FastHitApplication`` as gunicorn calls it
(``tests/wsgi_client.py``); ``django.calls`` counts those Django answered.
"""

import re
import types

import pytest
from django.utils.http import http_date

from articles.models import Article
from mhsite import fasthit
from tests.factories import make_article
from tests.fault_servers import closed_port
from tests.therapist_factories import make_therapist
from tests.wsgi_client import call, environ_for, new_application

pytestmark = pytest.mark.django_db

NONCE = re.compile(r"nonce-?=?\"?'?([A-Za-z0-9_-]{22})")


def without_nonce(text: str) -> str:
    return NONCE.sub("NONCE", text)


@pytest.fixture
def article():
    return make_article(title="Sleeping well")


@pytest.fixture
def app():
    application, django = new_application()
    yield types.SimpleNamespace(application=application, django=django)
    fasthit.forget_all()


def get(app, path, method="GET", **options):
    return call(app.application, environ_for(path, method, **options))


def fast_hit(app, path, method="GET", **options):
    """A request that must be answered without Django."""
    before = app.django.calls
    answer = get(app, path, method, **options)
    assert app.django.calls == before, f"{path} reached Django"
    return answer


def through_django(app, path, method="GET", **options):
    before = app.django.calls
    answer = get(app, path, method, **options)
    assert app.django.calls == before + 1, f"{path} did not reach Django"
    return answer


def test_first_request_is_rendered_then_hits_skip_django_and_the_database(
    app, article, django_assert_num_queries
):
    url = article.get_absolute_url()
    assert through_django(app, url)["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        hit = fast_hit(app, url)
    assert hit.status == 200
    assert hit["X-Page-Cache"] == "hit"
    assert "Set-Cookie" not in hit
    assert b"Sleeping well" in hit.body


def test_fast_hit_equals_djangos_own_cache_hit_but_for_the_nonce(app, article):
    url = article.get_absolute_url()
    through_django(app, url)
    fast = fast_hit(app, url)
    # Django's answer from the cache, through every middleware.
    slow = call(app.django, environ_for(url))
    assert slow["X-Page-Cache"] == "hit"
    assert without_nonce(fast.body.decode()) == without_nonce(slow.body.decode())
    fast_headers, slow_headers = fast.header_dict(), slow.header_dict()
    for headers in (fast_headers, slow_headers):
        headers["content-security-policy"] = without_nonce(headers["content-security-policy"])
    assert fast_headers == slow_headers
    for header in (
        "X-Frame-Options",
        "Referrer-Policy",
        "X-Content-Type-Options",
        "Cross-Origin-Opener-Policy",
        "Permissions-Policy",
        "Surrogate-Key",
        "Cache-Tag",
        "ETag",
    ):
        assert header in fast


def test_each_fast_hit_has_a_fresh_nonce_matching_its_csp_header(app, article):
    url = article.get_absolute_url()
    first = through_django(app, url)
    nonces = []
    for _ in range(2):
        hit = fast_hit(app, url)
        in_page = set(re.findall(r'nonce="([^"]+)"', hit.body.decode()))
        assert len(in_page) == 1
        nonce = in_page.pop()
        assert f"'nonce-{nonce}'" in hit["Content-Security-Policy"]
        assert nonce not in first.body.decode()
        assert int(hit["Content-Length"]) == len(hit.body)
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_https_behind_a_trusted_proxy_gets_hsts_like_django(app, article, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 3600
    app.application, app.django = new_application()
    url = article.get_absolute_url()
    proxied = {"headers": {"X-Forwarded-Proto": "https"}}
    through_django(app, url, **proxied)
    fast = fast_hit(app, url, **proxied)
    slow = call(app.django, environ_for(url, **proxied))
    assert fast["Strict-Transport-Security"] == slow["Strict-Transport-Security"]
    assert fast["Strict-Transport-Security"].startswith("max-age=3600")
    # The same header from a peer that is not a trusted proxy is not believed.
    spoofed = get(app, url, remote_addr="203.0.113.9", **proxied)
    assert "Strict-Transport-Security" not in spoofed


def test_ssl_redirect_still_redirects_plain_http(app, article, settings):
    settings.SECURE_SSL_REDIRECT = True
    app.application, app.django = new_application()
    url = article.get_absolute_url()
    secure = {"scheme": "https"}
    through_django(app, url, **secure)
    assert fast_hit(app, url, **secure).status == 200
    redirected = through_django(app, url)
    assert redirected.status == 301
    assert redirected["Location"].startswith("https://")


def test_head_has_the_gets_headers_and_no_body(app, article):
    url = article.get_absolute_url()
    through_django(app, url)
    get_hit = fast_hit(app, url)
    head = fast_hit(app, url, "HEAD")
    assert head.status == 200
    assert head.body == b""
    assert head["Content-Length"] == get_hit["Content-Length"]
    assert head["ETag"] == get_hit["ETag"]


def test_revalidation_answers_304_like_django(app, article):
    url = article.get_absolute_url()
    etag = through_django(app, url)["ETag"]
    fast = fast_hit(app, url, headers={"If-None-Match": etag})
    slow = call(app.django, environ_for(url, headers={"If-None-Match": etag}))
    assert fast.status == slow.status == 304
    assert fast.body == b""
    assert fast.header_dict() == slow.header_dict()
    assert fast_hit(app, url, headers={"If-None-Match": '"other"'}).status == 200
    # ConditionalGetMiddleware leaves HEAD alone, and so does the fast hit.
    assert fast_hit(app, url, "HEAD", headers={"If-None-Match": etag}).status == 200
    later = http_date()
    assert fast_hit(app, url, headers={"If-Modified-Since": later}).status == 304
    # Preconditions it does not evaluate go to Django.
    assert through_django(app, url, headers={"If-Match": '"other"'}).status == 412


@pytest.mark.parametrize("cookie", ["sessionid=abc", "messages=xyz", "a=1; sessionid=abc"])
def test_a_session_or_messages_cookie_goes_to_django(app, article, cookie):
    url = article.get_absolute_url()
    through_django(app, url)
    answer = through_django(app, url, headers={"Cookie": cookie})
    assert answer.status == 200
    assert answer.header_dict().get("x-page-cache") != "hit"
    assert "no-store" in answer["Cache-Control"]


def test_other_cookies_are_still_anonymous(app, article):
    url = article.get_absolute_url()
    through_django(app, url)
    assert fast_hit(app, url, headers={"Cookie": "csrftoken=abc; theme=dark"}).status == 200


def test_a_host_not_in_allowed_hosts_is_refused_by_django(app, article):
    url = article.get_absolute_url()
    through_django(app, url)
    assert through_django(app, url, host="evil.example").status == 400
    assert through_django(app, url, host="testserver.evil.example").status == 400


def test_junk_query_parameters_share_the_page(app, article):
    url = article.get_absolute_url()
    through_django(app, url)
    # Django maps the new query string to the stored page; then it is remembered.
    assert through_django(app, url + "?utm_source=x")["X-Page-Cache"] == "hit"
    assert fast_hit(app, url + "?utm_source=x")["X-Page-Cache"] == "hit"


def test_a_page_with_a_csrf_form_is_always_served_by_django(app):
    therapist = make_therapist()
    url = therapist.get_absolute_url()
    through_django(app, url)
    page = through_django(app, url)
    assert page["X-Page-Cache"] == "hit"
    assert "csrftoken" in page["Set-Cookie"]
    through_django(app, url)


def test_post_and_bodies_go_to_django(app, article):
    url = article.get_absolute_url()
    through_django(app, url)
    through_django(app, url, "POST")
    environ = environ_for(url)
    environ["CONTENT_LENGTH"] = "10"
    before = app.django.calls
    call(app.application, environ)
    assert app.django.calls == before + 1


def test_an_edit_is_shown_at_once(app, article):
    url = article.get_absolute_url()
    through_django(app, url)
    fast_hit(app, url)
    article.title = "Sleeping better"
    article.save()
    fresh = through_django(app, url)
    assert b"Sleeping better" in fresh.body
    assert fresh["X-Page-Cache"] == "miss"
    assert b"Sleeping better" in fast_hit(app, url).body


def test_an_unattributed_write_is_shown_at_once(app, article):
    url = article.get_absolute_url()
    through_django(app, url)
    fast_hit(app, url)
    Article.objects.filter(pk=article.pk).update(title="Bulk edited")
    assert b"Bulk edited" in through_django(app, url).body


def test_a_page_past_its_validity_goes_to_django(app, article, monkeypatch):
    url = article.get_absolute_url()
    through_django(app, url)
    replay = next(iter(fasthit._index.values()))
    later = types.SimpleNamespace(time=lambda: replay.expires + 1)
    monkeypatch.setattr(fasthit, "time", later)
    through_django(app, url)


def test_redis_down_is_served_by_django(app, article, settings):
    url = article.get_absolute_url()
    through_django(app, url)
    signature, replay = next(iter(fasthit._index.items()))
    key = next(iter(fasthit._replays))
    settings.CACHES = {
        "default": {
            "BACKEND": "mhsite.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1},
        }
    }
    # Remembered against the broken cache, as if Redis died after the page was stored.
    fasthit.remember(signature, key, replay.entry)
    answer = through_django(app, url)
    assert answer.status == 200
    assert b"Sleeping well" in answer.body
    assert "X-Page-Cache" not in answer
    # The breaker is open: still Django, without waiting on Redis.
    assert through_django(app, url).status == 200
