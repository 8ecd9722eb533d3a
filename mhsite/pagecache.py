"""A server-side page cache for anonymous readers that editors can never make stale.

Every cached page is stored under a key that includes a *content generation*: a
counter kept in the cache and bumped by any save or delete of content (see
``mhsite.signals``). After a bump no request can reach the pages rendered
before it, so the next reader sees the change at once, on every app server
that shares the cache. Old entries simply expire.

Two things make a page change without a save, and both are part of the key:
the calendar date (a review falls due, a listing goes stale) and the moment the
next scheduled article publication becomes visible (looked up once per
generation).

Only anonymous GET/HEAD requests to the URL names in ``PAGE_CACHE_URL_NAMES``
are served from the cache; a session or messages cookie means a signed-in
editor or a flash message, and those requests always reach the view. Per-request
values inside a page, the CSP nonce and CSRF form tokens, are stored as
placeholders and filled in for each reader, so a cached page with a form keeps
working and the nonce in the page matches the header.

The same middleware sets ``Cache-Control`` for a CDN in front, an ``ETag``
computed from the page without its per-request values (so a revalidating
browser gets ``304 Not Modified`` even on pages with a nonce) and
``Last-Modified``.
"""

import hashlib
import logging
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import http_date

from .errors import DATABASE_ERRORS, service_unavailable

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
NONCE_PLACEHOLDER = b"\x00mhsite-csp-nonce\x00"
CSRF_PLACEHOLDER = b"\x00mhsite-csrf-token\x00"
# Exactly what Django's {% csrf_token %} renders.
CSRF_INPUT_RE = re.compile(rb'(<input type="hidden" name="csrfmiddlewaretoken" value=")([^"]*)(")')
STORED_HEADERS = ("Content-Type", "Content-Language")


def current_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # Start from the clock, not from 1: if the counter is ever evicted, a
        # restart from 1 could reach pages cached under an old generation.
        cache.add(GENERATION_KEY, time.time_ns() // 1000, timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def _bump() -> None:
    try:
        current_generation()
        cache.incr(GENERATION_KEY)
    except Exception:  # The cache being down must never break an editor's save.
        logger.exception("Could not invalidate the page cache")


def invalidate() -> None:
    """Make every cached page unreachable. Call after any change to public content.

    Bumped at once (so the change shows on the next request, also in tests that
    never commit) and again when the transaction commits: a reader who loaded
    the old rows just before the commit may have cached them under the first
    bump.
    """
    _bump()
    transaction.on_commit(_bump, robust=True)


# A generation's next scheduled change never changes, so each process remembers
# the latest one it saw and a cache hit costs two cache reads, not three.
_known_next_change: dict[int, float] = {}


def _next_scheduled_change(generation: int) -> float:
    """When a saved article next goes live or expires (epoch seconds, 0 if never)."""
    if generation in _known_next_change:
        return _known_next_change[generation]
    key = f"pagecache:next-change:{generation}"
    moment = cache.get(key)
    if moment is None:
        from articles.models import Article

        next_change = Article.objects.next_scheduled_change()
        moment = next_change.timestamp() if next_change else 0
        cache.set(key, moment, settings.PAGE_CACHE_SECONDS)
    _known_next_change.clear()
    _known_next_change[generation] = moment
    return moment


def _page_key(request) -> str:
    generation = current_generation()
    moment = _next_scheduled_change(generation)
    if moment and time.time() >= moment:
        _bump()
        generation = current_generation()
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"pagecache:page:{generation}:{timezone.localdate().isoformat()}:{digest}"


def _is_anonymous(request) -> bool:
    # Decided from cookies alone, so a cache hit never touches the database.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and "messages" not in request.COOKIES


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


class PageCacheMiddleware:
    """Serve and store anonymous public pages; set CDN-friendly cache headers.

    Sits after the CSRF and CSP middleware so that, on the way out, they see the
    token and nonce this middleware fills into a cached page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "_page_cache_eligible", False) and not getattr(
            response, "_from_page_cache", False
        ):
            self._store(request, response)
        self._set_cache_headers(request, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not _is_cacheable_request(request):
            return None
        try:
            key = _page_key(request)
            entry = cache.get(key)
        except DATABASE_ERRORS:
            # Answer now rather than let the view wait for the database a second time.
            return service_unavailable(request)
        except Exception:
            logger.exception("Page cache lookup failed; serving without it")
            return None
        request._page_cache_key = key
        request._page_cache_eligible = True
        if entry is None:
            return None
        return self._rebuild(request, entry)

    def _rebuild(self, request, entry):
        from django.http import HttpResponse

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
        return response

    def _store(self, request, response) -> None:
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
        headers = {h: response[h] for h in STORED_HEADERS if response.has_header(h)}
        headers["ETag"] = f'"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"'
        headers["Last-Modified"] = http_date()
        entry = {"content": content, "status": response.status_code, "headers": headers}
        try:
            cache.set(request._page_cache_key, entry, settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.exception("Could not store a page in the cache")
            return
        for header in ("ETag", "Last-Modified"):
            response[header] = headers[header]
        response["X-Page-Cache"] = "miss"

    def _set_cache_headers(self, request, response) -> None:
        if response.has_header("Cache-Control"):
            return
        if request.path.startswith(settings.PRIVATE_PATH_PREFIXES):
            add_never_cache_headers(response)
        elif request.method not in ("GET", "HEAD") or not _is_anonymous(request):
            # Editors, signed-in users and form submissions: never in a shared cache.
            patch_cache_control(response, private=True, no_store=True)
        elif _uses_csrf(request) or response.cookies:
            # A page carrying a per-reader CSRF token: the browser may keep it, a CDN may not.
            patch_cache_control(response, private=True, no_cache=True)
        elif response.status_code == 200 and getattr(request, "_page_cache_eligible", False):
            patch_cache_control(
                response,
                public=True,
                max_age=0,
                s_maxage=settings.PAGE_CACHE_CDN_SECONDS,
                stale_while_revalidate=settings.PAGE_CACHE_CDN_SECONDS,
            )
