"""Answer an anonymous reader's page-cache hit before the session, auth, messages
and CSRF middleware run, without touching the database.

Sits after the security, static-file and conditional-GET middleware (so a hit
still gets their headers and can answer ``304``) and before the session
middleware. It resolves the URL itself and, for a cached page without a CSRF
form, fills in a fresh CSP nonce and sets the headers the skipped inner
middleware would have set (``Content-Security-Policy``, ``X-Frame-Options``,
``Content-Length``).
Anything else (a miss, a page with a form, a signed-in editor) continues down
the stack to ``PageCacheMiddleware``, which reuses this lookup.
"""

import logging

from django.conf import settings
from django.urls import Resolver404, get_urlconf, resolve
from django.utils.csp import CSP, build_policy, generate_nonce

from . import edge, pagecache

logger = logging.getLogger(__name__)


class FastHitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self._hit(request)
        if response is None:
            return self.get_response(request)
        return response

    def _hit(self, request):
        if (
            request.method not in ("GET", "HEAD")
            or settings.PAGE_CACHE_SECONDS <= 0
            or not pagecache._is_anonymous(request)
        ):
            return None
        try:
            match = resolve(request.path_info, getattr(request, "urlconf", None) or get_urlconf())
        except Resolver404:
            return None
        if match.view_name not in settings.PAGE_CACHE_URL_NAMES:
            return None
        request.resolver_match = match
        try:
            pagecache.prepare(request)
        except Exception:
            # The inner middleware tries again, and serves without the cache if it must.
            logger.exception("Page cache lookup failed")
            del request._page_cache_entry
            return None
        entry = request._page_cache_entry
        if entry is None or pagecache.CSRF_PLACEHOLDER in entry["content"]:
            return None
        nonce = generate_nonce()
        request._csp_nonce = nonce
        response = pagecache.rebuild(request, entry)
        for header, config in (
            (CSP.HEADER_ENFORCE, settings.SECURE_CSP),
            (CSP.HEADER_REPORT_ONLY, getattr(settings, "SECURE_CSP_REPORT_ONLY", None)),
        ):
            if config:
                response[str(header)] = build_policy(config, nonce)
        response.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        response["Content-Length"] = str(len(response.content))  # as CommonMiddleware sets it
        edge.set_cache_headers(request, response)
        return response
