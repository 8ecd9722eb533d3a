"""Purge the CDN or Varnish in front by tag, after each write commits.

``cachetags`` hands each committed transaction's tags to ``enqueue()``, which
returns at once: a background thread per process batches the tags of the
following ``BATCH_WINDOW`` seconds, sends them to the configured backend
(``PAGE_CACHE_PURGE_BACKEND``), retries failures with backoff, and logs and
records (``PurgeFailure``, in the admin) a batch it could not deliver. The
request that committed waits at most ``PAGE_CACHE_PURGE_WAIT`` (0.25 s) for
its purge, then carries on while the thread keeps trying.

Backends:

- ``varnish``: ``PURGE /`` to each of ``PAGE_CACHE_PURGE_URLS`` with the tags in
  an ``xkey`` header (the VCL in docs/scaling.md calls ``xkey.purge``);
- ``fastly``: the purge-by-surrogate-key API of service ``PAGE_CACHE_PURGE_ZONE``;
- ``cloudflare``: the purge-by-tag API of zone ``PAGE_CACHE_PURGE_ZONE``.
"""

import atexit
import json
import logging
import queue
import threading
import time
import urllib.request
from collections.abc import Iterable

from django.conf import settings

logger = logging.getLogger(__name__)

BATCH_WINDOW = 0.05  # seconds to gather tags of writes committed together
RETRY_DELAYS = (0.2, 1.0, 5.0)  # between attempts
REQUEST_TIMEOUT = 5.0
API_BASES = {"fastly": "https://api.fastly.com", "cloudflare": "https://api.cloudflare.com"}
# Tags per request: Fastly takes 256 surrogate keys, Cloudflare 30 cache tags.
BATCH_SIZES = {"varnish": 200, "fastly": 256, "cloudflare": 30}


class PurgeError(Exception):
    pass


def _request(method: str, url: str, headers: dict, body: bytes | None = None) -> None:
    if not url.startswith(("http://", "https://")):
        raise PurgeError(f"not an http(s) URL: {url!r}")
    # Only http(s), checked above.
    request = urllib.request.Request(url, data=body, method=method, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:  # noqa: S310
            response.read()
    except Exception as exc:  # HTTPError, URLError, timeouts: all retried alike
        raise PurgeError(f"{method} {url}: {exc}") from exc


def _varnish(tags: list[str]) -> None:
    if not settings.PAGE_CACHE_PURGE_URLS:
        raise PurgeError("PAGE_CACHE_PURGE_URLS is empty")
    for url in settings.PAGE_CACHE_PURGE_URLS:
        _request("PURGE", url, {"xkey": " ".join(tags)})


def _fastly(tags: list[str]) -> None:
    base = settings.PAGE_CACHE_PURGE_API or API_BASES["fastly"]
    _request(
        "POST",
        f"{base.rstrip('/')}/service/{settings.PAGE_CACHE_PURGE_ZONE}/purge",
        {
            "Fastly-Key": settings.PAGE_CACHE_PURGE_TOKEN,
            "Content-Type": "application/json",
            "Accept": "application/json",
        },
        json.dumps({"surrogate_keys": tags}).encode(),
    )


def _cloudflare(tags: list[str]) -> None:
    base = settings.PAGE_CACHE_PURGE_API or API_BASES["cloudflare"]
    _request(
        "POST",
        f"{base.rstrip('/')}/client/v4/zones/{settings.PAGE_CACHE_PURGE_ZONE}/purge_cache",
        {
            "Authorization": f"Bearer {settings.PAGE_CACHE_PURGE_TOKEN}",
            "Content-Type": "application/json",
        },
        json.dumps({"tags": tags}).encode(),
    )


BACKENDS = {"varnish": _varnish, "fastly": _fastly, "cloudflare": _cloudflare}


def send(tags: Iterable[str]) -> bool:
    """Purge ``tags`` now, in batches, retrying; True if every batch was delivered."""
    backend = settings.PAGE_CACHE_PURGE_BACKEND
    if backend == "none":
        return True
    tags = sorted({settings.PAGE_CACHE_TAG_PREFIX + tag for tag in tags})
    size = BATCH_SIZES[backend]
    delivered = True
    for start in range(0, len(tags), size):
        delivered &= _send_batch(backend, tags[start : start + size])
    return delivered


def _send_batch(backend: str, batch: list[str]) -> bool:
    error = None
    for attempt, delay in enumerate((0, *RETRY_DELAYS), start=1):
        time.sleep(delay)
        try:
            BACKENDS[backend](batch)
            return True
        except PurgeError as exc:
            error = exc
            logger.warning("Purge attempt %s of %s failed: %s", attempt, backend, exc)
    logger.error("Could not purge %s tags from %s: %s", len(batch), backend, error)
    _record_failure(backend, batch, str(error), attempts=len(RETRY_DELAYS) + 1)
    return False


def _record_failure(backend: str, batch: list[str], error: str, attempts: int) -> None:
    from .models import PurgeFailure

    try:
        PurgeFailure.objects.create(
            backend=backend, tags=" ".join(batch), error=error[:1000], attempts=attempts
        )
    except Exception:
        logger.exception("Could not record a failed purge")


class _Worker:
    """One daemon thread per process: gathers tags, purges them in the background."""

    def __init__(self):
        self.queue: queue.Queue = queue.Queue()
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def put(self, tags: set[str]) -> threading.Event:
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self.run, name="purge", daemon=True)
                self.thread.start()
        done = threading.Event()
        self.queue.put((tags, done))
        return done

    def run(self) -> None:
        from django.db import close_old_connections

        while True:
            batch = [self.queue.get()]
            deadline = time.monotonic() + BATCH_WINDOW
            while (left := deadline - time.monotonic()) > 0:
                try:
                    batch.append(self.queue.get(timeout=left))
                except queue.Empty:
                    break
            try:
                send(set().union(*(tags for tags, _done in batch)))
            except Exception:
                logger.exception("Purging failed")
            finally:
                close_old_connections()
                for _tags, done in batch:
                    done.set()
                    self.queue.task_done()

    def flush(self, timeout: float) -> bool:
        """Wait until every queued purge was attempted; False on timeout."""
        deadline = time.monotonic() + timeout
        while self.queue.unfinished_tasks:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True


_worker = _Worker()


def enqueue(tags: Iterable[str]) -> None:
    """Purge ``tags`` in the background; never raises.

    Waits at most ``PAGE_CACHE_PURGE_WAIT`` seconds for the purge to be done,
    so in the usual case the editor's next look at the site (through the CDN)
    already shows the change; a slow or failing CDN only costs that wait.
    """
    tags = set(tags)
    if not tags or settings.PAGE_CACHE_PURGE_BACKEND == "none":
        return
    try:
        done = _worker.put(tags)
        done.wait(timeout=settings.PAGE_CACHE_PURGE_WAIT)
    except Exception:
        logger.exception("Could not queue a purge")


def flush(timeout: float = 10.0) -> bool:
    return _worker.flush(timeout)


# A worker restarting (gunicorn max_requests) still sends what it queued.
atexit.register(lambda: _worker.flush(timeout=2.0))
