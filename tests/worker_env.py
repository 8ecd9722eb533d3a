"""Give each pytest-xdist worker its own Redis database.

Loaded by ``make test`` with ``python -m pytest -p tests.worker_env``, so it
runs before pytest-django reads the settings (a conftest would be too late).
Every test clears the cache before and after it runs (tests/conftest.py);
workers sharing one Redis database would clear each other's entries mid-test.
Each worker's test database is already its own (pytest-django suffixes the
name with the worker id; SQLite files live in each worker's temporary
directory). Gunicorn and Varnish started by tests inherit this environment,
so they follow the worker's database too.
"""

import os
from urllib.parse import urlsplit, urlunsplit


def _worker_redis_url(url: str, worker: str) -> str:
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    index = base + int(worker.removeprefix("gw"))
    if index > 15:
        raise RuntimeError(
            f"Worker {worker} would need Redis database {index}; Redis has 16 by default. "
            "Run fewer workers (make test PYTEST_WORKERS=2) or a lower REDIS_URL database."
        )
    return urlunsplit(parts._replace(path=f"/{index}"))


def _test_cache_timeout(environ) -> None:
    """A Redis call may take up to a second in tests, unless CACHE_TIMEOUT_MS says otherwise.

    Production's 100 ms trips the cache's circuit breaker (mhsite/cache.py)
    when Redis is slow; with two workers, Chromium and a live server on a
    busy 2-core machine, Redis itself sometimes waits longer than that for a
    core, and the breaker then stays open for the next tests of the process,
    which fail at random ("the cache is unavailable"). The tests of the
    breaker and of a dead Redis configure their own short timeouts.
    """
    environ.setdefault("CACHE_TIMEOUT_MS", "1000")


_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker and os.environ.get("REDIS_URL"):
    os.environ["REDIS_URL"] = _worker_redis_url(os.environ["REDIS_URL"], _worker)
_test_cache_timeout(os.environ)
