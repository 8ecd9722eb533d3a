"""``/healthz`` for load balancers and uptime checks.

Reports each dependency with its status and latency::

    {"status": "ok" | "degraded" | "unavailable",
     "checks": {"database": {"status": "ok", "latency_ms": 0.4},
                "cache": {...}, "media storage": {...}}}

Only the database decides the HTTP status: without it no reader can be served
(503, so the load balancer takes this server out). A failing cache or media
storage is "degraded" with 200: pages still render at database speed, and
pulling every server out of the pool over the cache would turn a slowdown into
an outage.
"""

import logging
import time
import uuid

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .errors import DATABASE_ERRORS, RETRY_AFTER_SECONDS

logger = logging.getLogger(__name__)

PROBE_KEY = "healthz:probe"
# Never a real upload: the media check only asks whether storage answers.
MEDIA_PROBE_NAME = ".healthz-probe"


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    probe = getattr(cache, "probe", None)
    if probe is not None:
        # The resilient Redis backend hides failures from callers; ask Redis itself.
        probe()
        return
    token = uuid.uuid4().hex
    cache.set(PROBE_KEY, token, 10)
    if cache.get(PROBE_KEY) != token:
        raise RuntimeError("the cache did not return what was stored")


def check_media_storage() -> None:
    default_storage.exists(MEDIA_PROBE_NAME)


def _timed(check, errors) -> dict:
    started = time.perf_counter()
    try:
        check()
    except errors as exc:
        logger.warning("Health check %s failed: %s", check.__name__, exc)
        status = "unavailable"
    else:
        status = "ok"
    return {"status": status, "latency_ms": round((time.perf_counter() - started) * 1000, 1)}


@never_cache
@require_safe
def healthz(request):
    """200 while readers can be served, 503 when the database does not answer. No cookies."""
    checks = {
        "database": _timed(check_database, DATABASE_ERRORS),
        "cache": _timed(check_cache, Exception),
        "media storage": _timed(check_media_storage, Exception),
    }
    if checks["database"]["status"] != "ok":
        response = JsonResponse({"status": "unavailable", "checks": checks}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    healthy = all(check["status"] == "ok" for check in checks.values())
    return JsonResponse({"status": "ok" if healthy else "degraded", "checks": checks})
