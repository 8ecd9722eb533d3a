"""Tag versions: tokens from one shared increasing sequence, kept in the cache."""

import secrets
import time
from collections.abc import Iterable

from django.core.cache import cache

TAG_KEY_PREFIX = "pagecache:tag:"


def version_key(tag: str) -> str:
    return TAG_KEY_PREFIX + tag


SEQUENCE_KEY = "pagecache:sequence"


def sequence() -> int:
    """The last bump token handed out: a page rendered after reading it may be stored
    only if none of its tags has a newer version (see ``pagecache``)."""
    value = cache.get(SEQUENCE_KEY)
    if value is None:
        # Start from the clock, not from 1: if the counter is ever evicted, a
        # restart from 1 could reuse the tokens of earlier bumps.
        cache.add(SEQUENCE_KEY, time.time_ns(), timeout=None)
        value = cache.get(SEQUENCE_KEY)
    return value


def bump_token() -> int:
    try:
        return cache.incr(SEQUENCE_KEY)
    except ValueError:  # the counter was evicted
        sequence()
        return cache.incr(SEQUENCE_KEY)


def versions(tags: Iterable[str]) -> dict[str, int | None]:
    tags = list(tags)
    found = cache.get_many([version_key(tag) for tag in tags])
    return {tag: found.get(version_key(tag)) for tag in tags}


def versions_for_storing(tags: Iterable[str]) -> dict[str, int]:
    """Current versions, giving a tag never bumped (or evicted) a fresh negative one.

    A negative version marks "created, not bumped"; a later bump or eviction
    changes it, so a page stored against it cannot outlive a change.
    """
    found = versions(tags)
    for tag, version in found.items():
        if version is None:
            cache.add(version_key(tag), -time.time_ns() - secrets.randbelow(1000), timeout=None)
            found[tag] = cache.get(version_key(tag))
    return found


def tag_version(tag: str) -> int:
    """The version of one tag, for other caches keyed on it (e.g. ``finder``)."""
    return versions_for_storing([tag])[tag]
