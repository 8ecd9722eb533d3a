"""A server-side page cache for anonymous readers that editors can never make stale.

Each cached page records the dependency tags of what it shows
(``mhsite.cachetags``) and the versions those tags had when it was rendered;
it is served only while every version is unchanged. A write bumps only the
tags it touches, so editing one article leaves every other article page and
the whole therapist directory cached, on every app server sharing the cache.

A page changes without a write in two ways, and both are covered: the
calendar date (a review falls due, a listing goes stale) is part of the key,
and a page stops being served at the next moment a registered schedule
(``cachetags.register_schedule``: scheduled publication and expiry) says it
may change.

The key holds only the query parameters the page's view reads (declared with
``cachetags.register_page``), normalised and sorted; the view sees exactly
those, so a junk parameter neither creates an entry nor changes the page.

Only anonymous GET/HEAD requests to the URL names in ``PAGE_CACHE_URL_NAMES``
are served from the cache; a session or messages cookie means a signed-in
editor or a flash message, and those requests always reach the view. Per-request
values inside a page, the CSP nonce and CSRF form tokens, are stored as
placeholders and filled in for each reader, so a cached page with a form keeps
working and the nonce in the page matches the header.

The same middleware sets ``Cache-Control`` and the ``Surrogate-Key``/``Cache-Tag``
headers for a CDN in front (``mhsite.edge``), an ``ETag`` computed from the
page without its per-request values and ``Last-Modified``.
"""

import hashlib
import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.http import http_date

from . import cachetags, edge
from .errors import DATABASE_ERRORS, service_unavailable
from .pagecache_entries import lookup, next_scheduled_change, remember
from .pagecache_keys import normalised_query, page_key, use_query

logger = logging.getLogger(__name__)

NONCE_PLACEHOLDER = b"\x00mhsite-csp-nonce\x00"
CSRF_PLACEHOLDER = b"\x00mhsite-csrf-token\x00"
# Exactly what Django's {% csrf_token %} renders.
CSRF_INPUT_RE = re.compile(rb'(<input type="hidden" name="csrfmiddlewaretoken" value=")([^"]*)(")')
STORED_HEADERS = ("Content-Type", "Content-Language")
# The WSGI environ key naming the entry a response was stored as or served from
# (key, entry), for ``mhsite.fasthit`` to answer the same request next time.
SERVED_ENVIRON_KEY = "mhsite.page_cache"


def current_generation() -> int:
    """Changes after every content write; for caches keyed on "anything changed"."""
    return cachetags.tag_version(cachetags.WRITES_TAG)


def invalidate() -> None:
    """Make every cached page unreachable (seeding, restores)."""
    cachetags.invalidate_all()


def add_tags(*tags: str) -> None:
    """Record extra dependency tags on the page being rendered; one call per page kind."""
    cachetags.add_tags(*tags)


def is_anonymous_cookies(cookies) -> bool:
    """Whether a reader with these cookies may be served a shared page (``mhsite.fasthit``
    asks too). Decided from cookies alone, so a cache hit never touches the database."""
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _is_anonymous(request) -> bool:
    return is_anonymous_cookies(request.COOKIES)


def _is_cacheable_request(request) -> bool:
    match = request.resolver_match
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and match is not None
        and match.view_name in settings.PAGE_CACHE_URL_NAMES
        and _is_anonymous(request)
    )


def _uses_csrf(request) -> bool:
    return bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))


def prepare(request) -> None:
    """Look the request's page up: sets ``_page_cache_entry`` (None on a miss) and,
    when the page may be stored, ``_page_cache_eligible`` and ``_page_cache_key``."""
    request._page_cache_entry = None
    query, cacheable = normalised_query(request)
    if not cacheable:
        return
    use_query(request, query)
    key = page_key(request, query)
    entry = lookup(key)
    if entry is None:
        request._page_cache_sequence = cachetags.sequence()
    request._page_cache_key = key
    request._page_cache_eligible = True
    request._page_cache_entry = entry


def _page_tags(request, recorded: set[str]) -> set[str]:
    match = request.resolver_match
    page = cachetags.registry.pages.get(match.view_name)
    tags = {cachetags.ALL, *recorded, *(page.tags if page else ())}
    tags.update(f"app:{namespace}" for namespace in match.namespaces)
    return tags


class PageCacheMiddleware:
    """Serve and store anonymous public pages; set CDN-friendly cache headers.

    Sits after the CSRF and CSP middleware so that, on the way out, they see the
    token and nonce this middleware fills into a cached page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
        finally:
            token = getattr(request, "_page_cache_recording", None)
            recorded = cachetags.stop_recording(token) if token is not None else set()
        if getattr(request, "_page_cache_eligible", False) and not getattr(
            response, "_from_page_cache", False
        ):
            self._store(request, response, recorded)
        edge.set_cache_headers(request, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not _is_cacheable_request(request):
            return None
        try:
            prepare(request)
        except DATABASE_ERRORS:
            # Answer now rather than let the view wait for the database a second time.
            return service_unavailable(request)
        except Exception:
            logger.exception("Page cache lookup failed; serving without it")
            return None
        if not getattr(request, "_page_cache_eligible", False):
            return None
        if request._page_cache_entry is not None:
            return rebuild(request, request._page_cache_entry)
        request._page_cache_recording = cachetags.start_recording()
        return None

    def _store(self, request, response, recorded: set[str]) -> None:
        if (
            request.method != "GET"
            or response.status_code != 200
            or response.streaming
            or response.cookies
            or response.has_header("Cache-Control")
            or response.has_header("Set-Cookie")
        ):
            return
        content = response.content
        nonce = getattr(request, "_csp_nonce", None)
        if nonce:
            content = content.replace(str(nonce).encode(), NONCE_PLACEHOLDER)
        if _uses_csrf(request):
            content, forms = CSRF_INPUT_RE.subn(rb"\1" + CSRF_PLACEHOLDER + rb"\3", content)
            if not forms:
                # The token went somewhere we cannot find again: do not share it.
                return
        tags = _page_tags(request, recorded)
        headers = {h: response[h] for h in STORED_HEADERS if response.has_header(h)}
        headers["ETag"] = f'"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"'
        headers["Last-Modified"] = http_date()
        for header in ("ETag", "Last-Modified"):
            response[header] = headers[header]
        request._page_cache_tags = tags
        try:
            versions = cachetags.versions_for_storing(tags)
            if any(version > request._page_cache_sequence for version in versions.values()):
                # A tag changed while the page was rendering: it may show old rows.
                return
            entry = {
                "content": content,
                "status": response.status_code,
                "headers": headers,
                "tags": sorted(tags),
                "versions": versions,
                "valid_until": next_scheduled_change(),
            }
            cache.set(request._page_cache_key, entry, settings.PAGE_CACHE_SECONDS)
            remember(request._page_cache_key, entry)
        except Exception:
            logger.exception("Could not store a page in the cache")
            return
        request._page_cache_valid_until = entry["valid_until"]
        request.META[SERVED_ENVIRON_KEY] = (request._page_cache_key, entry)
        response["X-Page-Cache"] = "miss"


def rebuild(request, entry) -> HttpResponse:
    """A response from a cache entry, with this request's nonce and CSRF token."""
    content = entry["content"]
    if NONCE_PLACEHOLDER in content:
        content = content.replace(NONCE_PLACEHOLDER, str(request._csp_nonce).encode())
    if CSRF_PLACEHOLDER in content:
        content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content, status=entry["status"])
    for header, value in entry["headers"].items():
        response[header] = value
    response._from_page_cache = True
    response["X-Page-Cache"] = "hit"
    request._page_cache_tags = set(entry["tags"])
    request._page_cache_valid_until = entry["valid_until"]
    request.META[SERVED_ENVIRON_KEY] = (request._page_cache_key, entry)
    return response
