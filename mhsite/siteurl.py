"""The site's own address for absolute links: SITE_URL, or in development the served one.

Canonical links, og:url, JSON-LD, feeds, sitemaps and robots.txt name
``settings.SITE_URL`` so every copy of a page points at one address whatever
host or proxy served it. A developer who leaves ``SITE_URL`` unset and runs
``make run PORT=8201`` would otherwise get links to :8000. So with DEBUG on
and no ``SITE_URL`` in the environment (``settings.SITE_URL_FOLLOWS_REQUEST``),
links follow the scheme, host and port of the request being answered; with a
configured ``SITE_URL``, or outside a request (emails, commands), the setting wins.
"""

from contextvars import ContextVar

from django.conf import settings

_served_site_url: ContextVar[str | None] = ContextVar("served_site_url", default=None)


def _follows_request() -> bool:
    # DEBUG is asked at call time too: test runners switch it off after settings load.
    return settings.SITE_URL_FOLLOWS_REQUEST and settings.DEBUG


def site_url() -> str:
    """The absolute address of the site's root, without a trailing slash."""
    if _follows_request():
        served = _served_site_url.get()
        if served:
            return served
    return settings.SITE_URL


class ServedSiteUrlMiddleware:
    """Remembers the request's own scheme and host for ``site_url`` (development only)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _follows_request():
            return self.get_response(request)
        token = _served_site_url.set(f"{request.scheme}://{request.get_host()}")
        try:
            return self.get_response(request)
        finally:
            _served_site_url.reset(token)
