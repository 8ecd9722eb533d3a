"""Stored pages: the shared cache's entries, a local copy of recent ones, their expiry."""

import threading
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from . import cachetags

# Entries this process read or stored lately. An entry is immutable and valid
# only while its tag versions are unchanged, which every hit checks in the
# shared cache, so a local copy saves fetching the page without ever serving a
# stale one: a hit is one round trip (the versions) instead of two.
_local_entries: OrderedDict[str, dict] = OrderedDict()
LOCAL_ENTRIES = 256
_local_lock = threading.Lock()  # gthread workers share the process


def remember(key: str, entry: dict) -> None:
    with _local_lock:
        _local_entries[key] = entry
        _local_entries.move_to_end(key)
        while len(_local_entries) > LOCAL_ENTRIES:
            _local_entries.popitem(last=False)


def lookup(key: str) -> dict | None:
    """The entry stored under ``key`` if it is still current, else None."""
    entry = _local_entries.get(key)
    if entry is None:
        entry = cache.get(key)
        if entry is None:
            return None
        remember(key, entry)
    if timezone.now().timestamp() >= entry["valid_until"] or (
        cachetags.versions(entry["versions"]) != entry["versions"]
    ):
        _local_entries.pop(key, None)
        return None
    return entry


def next_scheduled_change() -> float:
    """The earliest moment (epoch seconds) a registered schedule may change a page."""
    now = timezone.now().timestamp()
    moments = [now + settings.PAGE_CACHE_SECONDS]
    for index, (next_change, app_label) in enumerate(cachetags.registry.schedules):
        key = f"pagecache:schedule:{index}"
        version = cachetags.tag_version(f"{cachetags.WRITES_TAG}:{app_label}")
        stored = cache.get(key)
        if (
            stored is None
            or stored["version"] != version
            # Passed: the next one is due (else every page would expire at once).
            or (stored["moment"] and stored["moment"] <= now)
        ):
            moment = next_change()
            stored = {"version": version, "moment": moment.timestamp() if moment else None}
            cache.set(key, stored, timeout=None)
        if stored["moment"]:
            moments.append(stored["moment"])
    return min(moments)
