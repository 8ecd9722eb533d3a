"""Cache headers for browsers and for the shared cache in front (CDN or Varnish).

A public page carries its dependency tags in ``Surrogate-Key`` (Fastly,
Varnish xkey) and ``Cache-Tag`` (Cloudflare), so the purge backend
(``mhsite.purge``) can remove exactly the pages a write touched. With purging
on, the edge may keep a page for hours (``PAGE_CACHE_CDN_SECONDS``) and serve
it stale while it revalidates or while the origin is down; without it, the
lifetime stays short because nothing else would tell the edge about a change.
Either way the lifetime never reaches past the next scheduled change or the
end of the day, which change pages without a write.
"""

import datetime

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control

# Header values stay under the CDNs' limits (Fastly 16 KB, Cloudflare 16 KB).
MAX_TAG_HEADER_BYTES = 8000


def _seconds_until_tomorrow() -> int:
    now = timezone.localtime()
    tomorrow = datetime.datetime.combine(
        now.date() + datetime.timedelta(days=1), datetime.time.min, tzinfo=now.tzinfo
    )
    return max(int((tomorrow - now).total_seconds()), 0)


def edge_lifetime(valid_until: float | None) -> int:
    lifetime = min(settings.PAGE_CACHE_CDN_SECONDS, _seconds_until_tomorrow())
    if valid_until is not None:
        lifetime = min(lifetime, max(int(valid_until - timezone.now().timestamp()), 0))
    return lifetime


def tag_header(tags, separator: str) -> str:
    """The tags as one header value, within the CDNs' size limit.

    A page naming too many objects names their models instead: every write to
    an object also bumps its model's tag, so a purge still reaches the page.
    """
    value = separator.join(sorted(tags))
    if len(value) <= MAX_TAG_HEADER_BYTES:
        return value
    collapsed = {tag.rsplit(":", 1)[0] if _is_object_tag(tag) else tag for tag in tags}
    return separator.join(sorted(collapsed))


def _is_object_tag(tag: str) -> bool:
    return ":" in tag and "." in tag.split(":", 1)[0]


def public_cache_control(lifetime: int) -> str:
    """The ``Cache-Control`` value of a public page the edge may keep ``lifetime`` seconds."""
    stale = settings.PAGE_CACHE_CDN_STALE_SECONDS
    directives = {"public": True, "max_age": 0, "s_maxage": lifetime}
    if stale:
        directives.update(stale_while_revalidate=stale, stale_if_error=stale)
    response = HttpResponse()
    patch_cache_control(response, **directives)
    return response["Cache-Control"]


def tag_headers(tags) -> list[tuple[str, str]]:
    """``Surrogate-Key`` and ``Cache-Tag`` naming a page's dependency tags, if it has any."""
    if not tags:
        return []
    prefixed = {settings.PAGE_CACHE_TAG_PREFIX + tag for tag in tags}
    return [("Surrogate-Key", tag_header(prefixed, " ")), ("Cache-Tag", tag_header(prefixed, ","))]


def _set_public_headers(request, response) -> None:
    lifetime = edge_lifetime(getattr(request, "_page_cache_valid_until", None))
    response["Cache-Control"] = public_cache_control(lifetime)
    for header, value in tag_headers(getattr(request, "_page_cache_tags", None)):
        response[header] = value


def set_cache_headers(request, response) -> None:
    if response.has_header("Cache-Control"):
        return
    if request.path.startswith(settings.PRIVATE_PATH_PREFIXES):
        add_never_cache_headers(response)
    elif request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES:
        # Editors, signed-in users and form submissions: never in a shared cache.
        patch_cache_control(response, private=True, no_store=True)
    elif "messages" in request.COOKIES:
        patch_cache_control(response, private=True, no_store=True)
    elif request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or response.cookies:
        # A page carrying a per-reader CSRF token: the browser may keep it, a CDN may not.
        patch_cache_control(response, private=True, no_cache=True)
    elif response.status_code == 200 and getattr(request, "_page_cache_eligible", False):
        _set_public_headers(request, response)
