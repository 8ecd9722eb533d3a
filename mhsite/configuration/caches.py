"""The cache: Redis when REDIS_URL is set, local memory otherwise."""

import os

from .environment import env_int


def caches(redis_url: str) -> dict:
    if not redis_url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    return {
        "default": {
            # Redis that is refused or hangs costs one short timeout per
            # breaker interval and serves misses meanwhile (mhsite/cache.py).
            "BACKEND": "mhsite.cache.ResilientRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "mhsite"),
            "OPTIONS": {
                "socket_connect_timeout": env_int("CACHE_CONNECT_TIMEOUT_MS", 100) / 1000,
                "socket_timeout": env_int("CACHE_TIMEOUT_MS", 100) / 1000,
                "BREAKER_SECONDS": env_int("CACHE_BREAKER_SECONDS", 10),
            },
        }
    }
