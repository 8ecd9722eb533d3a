"""A page-cache entry prepared for replay by ``mhsite.fasthit``, outside Django.

Everything a hit's response needs that does not change from one reader to
the next is computed once, when a worker first serves the entry through
Django: the body split at the CSP nonce placeholder, the header list (the
entry's headers, the edge's tag headers, and the headers the middleware a
hit skips would set: CSP, ``X-Frame-Options``, ``Permissions-Policy`` and
``SecurityMiddleware``'s), the tag version keys to check and the values they
must still hold. Per request only the nonce, ``Content-Length`` and the edge
lifetime in ``Cache-Control`` are filled in.

``tests/test_fast_hit.py`` compares every header with the Django path's, so
a middleware added to or changed in ``settings.MIDDLEWARE`` that this module
does not know about fails there, not in production.
"""

import datetime
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.security import SecurityMiddleware
from django.utils import timezone
from django.utils.csp import CSP, build_policy
from django.utils.http import parse_http_date_safe

from . import cachetags, edge, pagecache, redisprobe
from .middleware import PermissionsPolicyMiddleware

NONCE_SENTINEL = "\x00mhsite-nonce\x00"


@dataclass(frozen=True, slots=True)
class Replay:
    entry: dict  # the page-cache entry this was built from
    # Served until this moment (epoch seconds): the next scheduled change or
    # the end of the day the entry's key names, whichever comes first.
    expires: float
    valid_until: float
    day_end: float
    tag_keys: tuple[str, ...]  # the cache keys of the entry's tag versions...
    versions: tuple[int, ...]  # ...and the values they must still hold
    raw_keys: list[str]  # the same as Redis names them...
    raw_versions: list[bytes]  # ...and stores them (Django stores integers unpickled)
    mget_command: bytes  # both again as a prepared question and answer (redisprobe)
    mget_reply: bytes
    body_parts: tuple[bytes, ...]  # the body, split where the nonce goes
    uses_nonce: bool
    # The 200's headers in the Django path's order, around the per-request
    # Cache-Control, CSP and Content-Length; CSP values split at the nonce.
    head: tuple[tuple[str, str], ...]
    edge_tags: tuple[tuple[str, str], ...]
    csp: tuple[tuple[str, tuple[str, ...]], ...]
    frame: tuple[tuple[str, str], ...]
    outer: tuple[tuple[str, str], ...]  # PermissionsPolicy's and SecurityMiddleware's
    etag: str
    last_modified: str | None
    last_modified_time: int | None

    def response(self, nonce: str | None, now: float) -> tuple[list, bytes]:
        """The headers and body of a 200 for one reader (``nonce`` when it uses one)."""
        if nonce is None:
            body = self.body_parts[0]
            csp = [(name, parts[0]) for name, parts in self.csp]
        else:
            body = nonce.encode().join(self.body_parts)
            csp = [(name, nonce.join(parts)) for name, parts in self.csp]
        headers = [
            *self.head,
            ("Cache-Control", cache_control(self.lifetime(now))),
            *self.edge_tags,
            *csp,
            *self.frame,
            ("Content-Length", str(len(body))),
            *self.outer,
        ]
        return headers, body

    def not_modified(self, now: float) -> list:
        """The headers of a 304, the ones ``ConditionalGetMiddleware`` keeps."""
        headers = [("Cache-Control", cache_control(self.lifetime(now))), ("ETag", self.etag)]
        if self.last_modified:
            headers.append(("Last-Modified", self.last_modified))
        return [*headers, *self.outer]

    def lifetime(self, now: float) -> int:
        """What ``edge.edge_lifetime`` gives for this entry at ``now``."""
        return min(
            settings.PAGE_CACHE_CDN_SECONDS,
            max(int(self.day_end - now), 0),
            max(int(self.valid_until - now), 0),
        )


@lru_cache(maxsize=64)
def _cache_control(lifetime: int, stale: int) -> str:
    return edge.public_cache_control(lifetime)


def cache_control(lifetime: int) -> str:
    return _cache_control(lifetime, settings.PAGE_CACHE_CDN_STALE_SECONDS)


def clear_caches() -> None:
    _cache_control.cache_clear()


class _Stub(HttpRequest):
    """Just enough of a request for the middleware whose headers are computed here."""

    def __init__(self, secure: bool):
        super().__init__()
        self._secure = secure

    def is_secure(self) -> bool:
        return self._secure


def _outer_headers(secure: bool) -> tuple[tuple[str, str], ...]:
    response = PermissionsPolicyMiddleware(lambda request: HttpResponse())(_Stub(secure))
    del response["Content-Type"]
    SecurityMiddleware(lambda request: None).process_response(_Stub(secure), response)
    return tuple(response.items())


def _frame_headers() -> tuple[tuple[str, str], ...]:
    response = HttpResponse()
    del response["Content-Type"]
    XFrameOptionsMiddleware(lambda request: None).process_response(_Stub(False), response)
    return tuple(response.items())


def _csp_headers(uses_nonce: bool) -> tuple[tuple[str, tuple[str, ...]], ...]:
    headers = []
    for header, config in (
        (CSP.HEADER_ENFORCE, settings.SECURE_CSP),
        (CSP.HEADER_REPORT_ONLY, settings.SECURE_CSP_REPORT_ONLY),
    ):
        if config:
            policy = build_policy(config, NONCE_SENTINEL if uses_nonce else None)
            headers.append((str(header), tuple(policy.split(NONCE_SENTINEL))))
    return tuple(headers)


def _end_of_day(key: str) -> float:
    """The end of the local day a page key names (``pagecache.page_key``)."""
    day = datetime.date.fromisoformat(key.split(":")[2])
    tomorrow = datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min, tzinfo=timezone.get_current_timezone()
    )
    return tomorrow.timestamp()


def build(key: str, entry: dict, *, secure: bool, make_key) -> Replay | None:
    """The replay of ``entry`` stored under ``key``; None for a page it cannot answer."""
    content = entry["content"]
    versions = entry["versions"]
    if (
        entry["status"] != 200
        or pagecache.CSRF_PLACEHOLDER in content  # a per-reader token: Django fills it in
        or not all(type(version) is int for version in versions.values())
    ):
        return None
    response = HttpResponse(status=200)
    for header, value in entry["headers"].items():
        response[header] = value
    response["X-Page-Cache"] = "hit"
    parts = tuple(content.split(pagecache.NONCE_PLACEHOLDER))
    valid_until, day_end = entry["valid_until"], _end_of_day(key)
    last_modified = entry["headers"].get("Last-Modified")
    tag_keys = tuple(cachetags.TAG_KEY_PREFIX + tag for tag in versions)
    raw_keys = [make_key(tag_key) for tag_key in tag_keys]
    raw_versions = [str(version).encode() for version in versions.values()]
    return Replay(
        entry=entry,
        expires=min(valid_until, day_end),
        valid_until=valid_until,
        day_end=day_end,
        tag_keys=tag_keys,
        versions=tuple(versions.values()),
        raw_keys=raw_keys,
        raw_versions=raw_versions,
        mget_command=redisprobe.pack("MGET", *raw_keys),
        mget_reply=redisprobe.mget_reply(raw_versions),
        body_parts=parts,
        uses_nonce=len(parts) > 1,
        head=tuple(response.items()),
        edge_tags=tuple(edge.tag_headers(entry["tags"])),
        csp=_csp_headers(len(parts) > 1),
        frame=_frame_headers(),
        outer=_outer_headers(secure),
        etag=entry["headers"]["ETag"],
        last_modified=last_modified,
        last_modified_time=parse_http_date_safe(last_modified) if last_modified else None,
    )
