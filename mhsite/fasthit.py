"""Answer an anonymous reader's page-cache hit in the WSGI callable, before Django.

``mhsite.wsgi`` wraps Django's handler in ``FastHitApplication``. A GET or
HEAD without a body from a reader without a session or messages cookie (the
page cache's own rule, ``pagecache.is_anonymous_cookies``) is looked up by
its scheme, Host header, script name, path and raw query string in this
process's index of pages it served lately. A page found there is answered
from its prepared replay (``mhsite.hitreplay``) after one cache round trip
checking that its dependency tags still hold the versions the page was
stored with, as ``pagecache.lookup`` checks them: no Django request, no
middleware, no session, no database.

The index only maps a request to the page Django itself chose for that same
request: a request is added after Django served (or stored) a cached page
for it, so Django validated the Host against ALLOWED_HOSTS, resolved the URL,
normalised the query and computed the cache key. The scheme in the index
follows the trusted-proxy rule (``mhsite.clientip``): an ``X-Forwarded-Proto``
from a peer that is not a trusted proxy changes nothing.

Everything else goes to Django unchanged: a miss, a page with a CSRF form,
an editor, a request with a body or with ``If-Match``/``If-Unmodified-Since``,
plain HTTP under SECURE_SSL_REDIRECT, a cache that does not answer (the
breaker in ``mhsite.cache``), any error here.
"""

import logging
import threading
import time
from functools import lru_cache
from types import SimpleNamespace
from weakref import WeakKeyDictionary

from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.http.cookie import parse_cookie
from django.utils.cache import get_conditional_response
from django.utils.csp import generate_nonce

from . import hitreplay, pagecache, redisprobe
from .cache import CacheUnavailable, ResilientRedisCache
from .clientip import FORWARDED_HEADERS, is_trusted_proxy, parse_address

logger = logging.getLogger(__name__)

# Requests remembered per process; the oldest is forgotten first.
INDEX_SIZE = 256
_index: dict[tuple, hitreplay.Replay] = {}
_replays: dict[str, hitreplay.Replay] = {}  # by page key: one per page, however it is asked
_lock = threading.Lock()  # writers only; gthread workers share the process
_servers: WeakKeyDictionary = WeakKeyDictionary()  # cache backend -> redisprobe.Server
_redis_clients: WeakKeyDictionary = WeakKeyDictionary()
UNSUPPORTED_PRECONDITIONS = ("HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")


class FastHitApplication:
    """A WSGI application answering remembered page-cache hits, else Django."""

    def __init__(self, django_application):
        self.django_application = django_application

    def __call__(self, environ, start_response):
        signature = request_signature(environ)
        if signature is None:
            return self.django_application(environ, start_response)
        try:
            answer = _answer(signature, environ)
        except Exception:
            logger.exception("Fast page-cache hit failed; Django answers")
            answer = None
        if answer is not None:
            status, headers, body = answer
            start_response(status, headers)
            return body
        return self._through_django(signature, environ, start_response)

    def _through_django(self, signature, environ, start_response):
        started = []

        def recording_start_response(status, headers, exc_info=None):
            started.append((status, headers))
            return start_response(status, headers, exc_info)

        response = self.django_application(environ, recording_start_response)
        served = environ.get(pagecache.SERVED_ENVIRON_KEY)
        if served is not None and started:
            status, headers = started[-1]
            if status.startswith("200 ") and all(h.lower() != "set-cookie" for h, _ in headers):
                try:
                    remember(signature, *served)
                except Exception:
                    logger.exception("Could not prepare a page for fast hits")
        return response


def request_signature(environ) -> tuple | None:
    """What identifies the request's page for an anonymous reader; None if it may not
    be answered here."""
    if (
        environ.get("REQUEST_METHOD") not in ("GET", "HEAD")
        or environ.get("CONTENT_LENGTH", "") not in ("", "0")
        or "HTTP_TRANSFER_ENCODING" in environ
        or settings.PAGE_CACHE_SECONDS <= 0
    ):
        return None
    host = environ.get("HTTP_HOST")
    if not host or (settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in environ):
        return None
    cookie = environ.get("HTTP_COOKIE")
    if cookie and not pagecache.is_anonymous_cookies(parse_cookie(cookie)):
        return None
    scheme = request_scheme(environ)
    if scheme != "https" and settings.SECURE_SSL_REDIRECT:
        return None  # SecurityMiddleware redirects it
    return (
        scheme,
        host,
        environ.get("SCRIPT_NAME", ""),
        environ.get("PATH_INFO", ""),
        environ.get("QUERY_STRING", ""),
    )


def request_scheme(environ) -> str:
    """``HttpRequest.scheme`` after ``TrustedProxyMiddleware`` dropped untrusted headers."""
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure_value = settings.SECURE_PROXY_SSL_HEADER
        value = environ.get(header)
        if value is not None and (
            header not in FORWARDED_HEADERS or _trusted_peer(environ.get("REMOTE_ADDR", ""))
        ):
            value, *_ = value.split(",", 1)
            return "https" if value.strip() == secure_value else "http"
    return environ.get("wsgi.url_scheme", "http")


@lru_cache(maxsize=256)
def _trusted_peer(remote_addr: str) -> bool:
    return is_trusted_proxy(parse_address(remote_addr))


def _answer(signature: tuple, environ) -> tuple | None:
    replay = _index.get(signature)
    if replay is None:
        return None
    now = time.time()
    if now >= replay.expires or not _is_current(replay):
        _forget(signature)
        return None
    method = environ["REQUEST_METHOD"]
    if method == "GET" and _has_preconditions(environ):
        if any(name in environ for name in UNSUPPORTED_PRECONDITIONS):
            return None
        conditional = get_conditional_response(
            SimpleNamespace(META=environ, method=method),
            etag=replay.etag,
            last_modified=replay.last_modified_time,
        )
        if conditional is not None:
            if conditional.status_code != 304:
                return None
            return "304 Not Modified", replay.not_modified(now), []
    headers, body = replay.response(generate_nonce() if replay.uses_nonce else None, now)
    return "200 OK", headers, [] if method == "HEAD" else [body]


def _has_preconditions(environ) -> bool:
    return (
        "HTTP_IF_NONE_MATCH" in environ
        or "HTTP_IF_MODIFIED_SINCE" in environ
        or any(name in environ for name in UNSUPPORTED_PRECONDITIONS)
    )


def _is_current(replay: hitreplay.Replay) -> bool:
    """Whether every tag of the page still holds its stored version (one round trip)."""
    backend = caches["default"]
    if not isinstance(backend, ResilientRedisCache):
        found = backend.get_many(replay.tag_keys)
        return [found.get(key) for key in replay.tag_keys] == list(replay.versions)
    if backend.is_open or backend.has_pending_invalidations:
        return False  # Redis is down, or Django has invalidations to replay first
    server = _servers.get(backend, False)
    if server is False:
        server = _servers[backend] = redisprobe.Server.for_backend(backend)
    if server is None:  # a location redisprobe does not handle: ask through redis-py
        try:
            values = backend.guarded("get_many", _redis_py(backend).mget, replay.raw_keys)
        except CacheUnavailable:
            return False
        return values == replay.raw_versions
    try:
        return redisprobe.ask(server, replay.mget_command, replay.mget_reply)
    except OSError as exc:
        backend.trip("fast hit", exc)  # the breaker: Django's cache calls skip Redis too
        return False


def _redis_py(backend):
    client = _redis_clients.get(backend)
    if client is None:
        client = _redis_clients[backend] = backend.redis_client()
    return client


def remember(signature: tuple, key: str, entry: dict) -> None:
    """Answer requests with ``signature`` from ``entry`` (stored under ``key``) from now on."""
    replay = _replays.get(key)
    if replay is None or replay.entry is not entry:
        replay = hitreplay.build(
            key, entry, secure=signature[0] == "https", make_key=caches["default"].make_key
        )
        if replay is None:
            return
    with _lock:
        _index.pop(signature, None)
        _index[signature] = replay
        _replays[key] = replay
        for remembered in (_index, _replays):
            while len(remembered) > INDEX_SIZE:
                remembered.pop(next(iter(remembered)))


def _forget(signature: tuple) -> None:
    with _lock:
        _index.pop(signature, None)


def forget_all(**kwargs) -> None:
    """Forget every remembered page (settings changed: hosts, headers, the cache itself)."""
    with _lock:
        _index.clear()
        _replays.clear()
    _trusted_peer.cache_clear()
    hitreplay.clear_caches()
    redisprobe.close_all()


setting_changed.connect(forget_all, dispatch_uid="mhsite.fasthit.forget_all")
