"""Invalidation: bumping the tags a write touches, now and again when it commits."""

import logging
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction
from django.dispatch import Signal

from .versions import bump_token, version_key

logger = logging.getLogger(__name__)

ALL = "all"
# Bumped by every write to an app's tables, attributed or not; pages never carry it.
WRITES_TAG = "writes"

# Sent with ``tags`` and ``using`` whenever tags are invalidated, for stores
# derived from the same content that must follow the same writes (the
# article page's stored parts).
tags_invalidated = Signal()


def _bump_now(tags: set[str]) -> None:
    try:
        token = bump_token()
        cache.set_many({version_key(tag): token for tag in tags}, timeout=None)
    except Exception:  # The cache being down must never break an editor's save.
        logger.exception("Could not invalidate page cache tags %s", sorted(tags))


class _PendingPurge:
    """Tags bumped in one transaction, bumped again and purged once it commits."""

    def __init__(self):
        self.tags: set[str] = set()

    def __call__(self) -> None:
        _bump_now(self.tags)
        from .. import purge  # imported late: it reads settings at first use

        purge.enqueue({tag for tag in self.tags if not tag.startswith(WRITES_TAG)})


def _pending_for(connection) -> _PendingPurge | None:
    """This transaction's batch, if its on-commit callback is still queued."""
    pending = getattr(connection, "_pagecache_pending", None)
    if pending is None or not connection.in_atomic_block:
        return None
    if any(entry[1] is pending for entry in connection.run_on_commit):
        return pending
    return None


def invalidate_tags(tags: Iterable[str], *, app_labels: Iterable[str] = (), using=None) -> None:
    """Invalidate every page carrying one of ``tags``; call after a content write.

    Bumped at once (the change shows on the next request, also in tests that
    never commit) and again when the transaction commits: a reader who loaded
    the old rows just before the commit may have read the first bump. One
    transaction's tags are purged at the edge together, after it commits.
    """
    tags = set(tags) | {WRITES_TAG} | {f"{WRITES_TAG}:{label}" for label in app_labels}
    _bump_now(tags)
    tags_invalidated.send(sender=invalidate_tags, tags=frozenset(tags), using=using)
    connection = transaction.get_connection(using)
    pending = _pending_for(connection)
    if pending is not None:
        pending.tags.update(tags)
        return
    pending = _PendingPurge()
    pending.tags.update(tags)
    connection._pagecache_pending = pending
    transaction.on_commit(pending, using=using, robust=True)


def invalidate_all() -> None:
    """Make every cached page unreachable (seeding, restores, anything unattributable)."""
    invalidate_tags({ALL})
