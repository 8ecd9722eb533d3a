"""The public site's address: every absolute URL is built on ``settings.SITE_URL``.

Canonical links, feeds, sitemaps and JSON-LD use it rather than the request's
Host header, so every copy of a page names the same address whichever host
name or proxy served it.
"""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(url: str) -> str:
    """``url`` as an absolute URL on the public site (already absolute URLs pass through)."""
    if url.startswith(("http://", "https://")):
        return url
    return f"{settings.SITE_URL}/{url.lstrip('/')}"


def site_scheme() -> str:
    return urlsplit(settings.SITE_URL).scheme or "https"


def site_domain() -> str:
    return urlsplit(settings.SITE_URL).netloc
