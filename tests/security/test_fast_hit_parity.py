"""A page-cache hit answered before Django (mhsite/fasthit.py) carries every
security header Django's own answer carries, under each security setting, and
trusts no Host or forwarded header Django would not trust."""

import re

import pytest

from tests.factories import make_article
from tests.wsgi_client import call, environ_for, new_application

pytestmark = pytest.mark.django_db

NONCE = re.compile(r"nonce-?=?\"?'?([A-Za-z0-9_-]{22})")
SECURITY_HEADERS = {
    "content-security-policy",
    "content-security-policy-report-only",
    "strict-transport-security",
    "x-content-type-options",
    "referrer-policy",
    "cross-origin-opener-policy",
    "x-frame-options",
    "permissions-policy",
}


def headers_without_nonce(answer) -> dict[str, str]:
    return {name: NONCE.sub("NONCE", value) for name, value in answer.header_dict().items()}


def fast_and_django(path: str, **options):
    application, django = new_application()
    call(application, environ_for(path, **options))  # rendered and stored
    calls = django.calls
    fast = call(application, environ_for(path, **options))
    assert django.calls == calls, "the hit reached Django"
    return fast, call(django, environ_for(path, **options))


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"SECURE_HSTS_SECONDS": 600, "SECURE_HSTS_INCLUDE_SUBDOMAINS": True},
        {"SECURE_HSTS_SECONDS": 600, "SECURE_HSTS_PRELOAD": True},
        {"X_FRAME_OPTIONS": "SAMEORIGIN"},
        {"SECURE_REFERRER_POLICY": "no-referrer, strict-origin"},
        {"SECURE_CROSS_ORIGIN_OPENER_POLICY": "same-origin-allow-popups"},
        {"SECURE_CONTENT_TYPE_NOSNIFF": False},
        {"PERMISSIONS_POLICY": {"camera": [], "geolocation": ["self"]}},
        {"SECURE_CSP_REPORT_ONLY": {"default-src": ["'self'"], "script-src": ["'nonce'"]}},
        {"PAGE_CACHE_CDN_SECONDS": 3600, "PAGE_CACHE_CDN_STALE_SECONDS": 0},
        {"PAGE_CACHE_TAG_PREFIX": "site1-"},
    ],
    ids=lambda overrides: ",".join(overrides) or "defaults",
)
@pytest.mark.parametrize("scheme", ["http", "https"])
def test_fast_hit_has_djangos_headers(settings, overrides, scheme):
    for name, value in overrides.items():
        setattr(settings, name, value)
    article = make_article()
    fast, django = fast_and_django(article.get_absolute_url(), scheme=scheme)
    assert django["X-Page-Cache"] == "hit"
    assert headers_without_nonce(fast) == headers_without_nonce(django)
    assert SECURITY_HEADERS & set(fast.header_dict()) == SECURITY_HEADERS & set(
        django.header_dict()
    )
    if scheme == "https" and overrides.get("SECURE_HSTS_SECONDS"):
        assert "Strict-Transport-Security" in fast


@pytest.mark.parametrize(
    "host", ["evil.example", "testserver.evil.example", "testserver:80@evil.example"]
)
def test_a_host_django_refuses_is_never_answered_from_the_cache(host):
    article = make_article()
    application, django = new_application()
    url = article.get_absolute_url()
    call(application, environ_for(url))
    call(application, environ_for(url))
    calls = django.calls
    answer = call(application, environ_for(url, host=host))
    assert django.calls == calls + 1
    assert answer.status == 400


def test_forwarded_host_is_left_to_django(settings):
    settings.USE_X_FORWARDED_HOST = True
    article = make_article()
    application, django = new_application()
    url = article.get_absolute_url()
    call(application, environ_for(url))
    calls = django.calls
    call(application, environ_for(url, headers={"X-Forwarded-Host": "evil.example"}))
    assert django.calls == calls + 1


def test_untrusted_forwarded_proto_gets_the_plain_http_page(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 600
    article = make_article()
    application, _django = new_application()
    url = article.get_absolute_url()
    https = {"headers": {"X-Forwarded-Proto": "https"}}
    call(application, environ_for(url, **https))  # from the trusted proxy: stored as https
    call(application, environ_for(url, **https))
    spoofed = call(application, environ_for(url, remote_addr="198.51.100.7", **https))
    assert "Strict-Transport-Security" not in spoofed
    assert "https://" not in spoofed.header_dict().get("location", "")
