"""The public site's address: every absolute URL is built on ``settings.SITE_URL``.

Canonical links, feeds, sitemaps and JSON-LD use it rather than the request's
Host header, so every copy of a page names the same address whichever host
name or proxy served it (in development with SITE_URL unset, the address
served: mhsite/siteurl.py).
"""

from urllib.parse import urlsplit

from .siteurl import site_url


def absolute_url(url: str) -> str:
    """``url`` as an absolute URL on the public site (already absolute URLs pass through)."""
    if url.startswith(("http://", "https://")):
        return url
    return f"{site_url()}/{url.lstrip('/')}"


def site_scheme() -> str:
    return urlsplit(site_url()).scheme or "https"


def site_domain() -> str:
    return urlsplit(site_url()).netloc
