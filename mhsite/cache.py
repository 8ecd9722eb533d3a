"""A Redis cache backend that treats the cache as an optimisation, never a dependency.

Django's ``RedisCache`` raises whatever redis-py raises, so a refused
connection becomes a 500 anywhere the cache is read (the admin's medication
terms, the finder's counts, the report limit), and a Redis that accepts
connections but never answers holds every request for the socket timeout,
once per cache call.

``ResilientRedisCache`` answers like an empty cache instead: reads miss,
writes do nothing, ``add`` and ``touch`` say False, ``incr`` raises
``ValueError`` as for a missing key. After a connection error or timeout it
stops asking Redis for ``BREAKER_SECONDS`` (a circuit breaker, per process),
so a dead Redis costs one socket timeout per interval rather than one per
call; the first call after the interval tries Redis again.

A key whose delete or increment was lost while Redis was unreachable holds
a value nobody can trust any more (a stale list, the page cache's generation
counter): such keys are deleted as soon as Redis answers again, before
anything else is read.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

DEFAULT_BREAKER_SECONDS = 10.0
# Bounds the memory the lost-invalidation list can take during a long outage.
MAX_LOST_KEYS = 1000
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class CacheUnavailable(Exception):
    """Redis did not answer (or the breaker is open); the caller serves a miss."""


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {**params, "OPTIONS": dict(params.get("OPTIONS", {}))}
        self.breaker_seconds = float(
            params["OPTIONS"].pop("BREAKER_SECONDS", DEFAULT_BREAKER_SECONDS)
        )
        super().__init__(server, params)
        self._open_until = 0.0
        self._lost_keys: set[str] = set()
        self._lock = threading.Lock()

    # The breaker ------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return time.monotonic() < self._open_until

    def _call(self, operation: str, function, *args, lost_key: str | None = None):
        """Run ``function`` against Redis, or raise CacheUnavailable."""
        if self.is_open:
            self._remember_lost(lost_key)
            raise CacheUnavailable
        try:
            self._replay_lost_keys()
            return function(*args)
        except UNREACHABLE as exc:
            self._trip(operation, exc)
            self._remember_lost(lost_key)
            raise CacheUnavailable from exc
        except RedisError as exc:
            # Answered, but refused this command (out of memory, say): a miss
            # for this call only, Redis itself is up.
            logger.warning("Cache %s failed: %s", operation, exc)
            self._remember_lost(lost_key)
            raise CacheUnavailable from exc

    def _trip(self, operation: str, exc: Exception) -> None:
        self._open_until = time.monotonic() + self.breaker_seconds
        logger.error(
            "Cache unreachable during %s (%s); serving without it for %.0f s",
            operation,
            exc,
            self.breaker_seconds,
        )

    def _remember_lost(self, key: str | None) -> None:
        if key is not None and len(self._lost_keys) < MAX_LOST_KEYS:
            with self._lock:
                self._lost_keys.add(key)

    def _replay_lost_keys(self) -> None:
        if not self._lost_keys:
            return
        with self._lock:
            keys, self._lost_keys = list(self._lost_keys), set()
        try:
            self._cache.delete_many(keys)
        except Exception:
            with self._lock:
                self._lost_keys.update(keys)
            raise
        logger.warning("Cache reachable again; dropped %d keys changed meanwhile", len(keys))

    def probe(self) -> None:
        """Ask Redis directly, bypassing the breaker (for /healthz); raises if it fails."""
        self.redis_client().ping()

    # For code that talks to Redis itself (mhsite/fasthit.py) ----------------

    @property
    def has_pending_invalidations(self) -> bool:
        """Keys changed while Redis was unreachable, not yet dropped there."""
        return bool(self._lost_keys)

    @property
    def locations(self) -> list[str]:
        return list(self._servers)

    @property
    def connection_options(self) -> dict:
        return dict(self._options)

    def redis_client(self):
        """redis-py's client for reads (no breaker: callers use ``guarded`` or ``trip``)."""
        return self._cache.get_client(None, write=False)

    def guarded(self, operation: str, function, *args):
        """Run ``function`` behind the breaker, as the cache API calls do."""
        return self._call(operation, function, *args)

    def trip(self, operation: str, exc: Exception) -> None:
        """Open the breaker after a failure seen outside the cache API."""
        self._trip(operation, exc)

    # The cache API ----------------------------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return self._call("add", super().add, key, value, timeout, version)
        except CacheUnavailable:
            return False

    def get(self, key, default=None, version=None):
        try:
            return self._call("get", super().get, key, default, version)
        except CacheUnavailable:
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            self._call("set", super().set, key, value, timeout, version)
        except CacheUnavailable:
            return

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return self._call("touch", super().touch, key, timeout, version)
        except CacheUnavailable:
            return False

    def delete(self, key, version=None):
        full_key = self.make_and_validate_key(key, version=version)
        try:
            return self._call("delete", super().delete, key, version, lost_key=full_key)
        except CacheUnavailable:
            return False

    def get_many(self, keys, version=None):
        try:
            return self._call("get_many", super().get_many, keys, version)
        except CacheUnavailable:
            return {}

    def has_key(self, key, version=None):
        try:
            return self._call("has_key", super().has_key, key, version)
        except CacheUnavailable:
            return False

    def incr(self, key, delta=1, version=None):
        full_key = self.make_and_validate_key(key, version=version)
        try:
            return self._call("incr", super().incr, key, delta, version, lost_key=full_key)
        except CacheUnavailable:
            raise ValueError(f"Key '{key}' not found (the cache is unavailable)") from None

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return self._call("set_many", super().set_many, data, timeout, version)
        except CacheUnavailable:
            return list(data)

    def delete_many(self, keys, version=None):
        keys = list(keys)
        try:
            self._call("delete_many", super().delete_many, keys, version)
        except CacheUnavailable:
            for key in keys:
                self._remember_lost(self.make_and_validate_key(key, version=version))

    def clear(self):
        try:
            return self._call("clear", super().clear)
        except CacheUnavailable:
            return False
