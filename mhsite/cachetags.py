"""Dependency tags: which objects a cached page shows, and which tags a write touches.

A page records a *tag* for every object it shows, so a write invalidates only
the pages that show what changed. Tags are plain strings:

- ``articles.article:12``: one object (recorded automatically for every
  instance of a registered model loaded while the page renders);
- ``articles.article``: every object of a model (recorded instead of the
  object tags when a page shows more than ``MAX_OBJECT_TAGS`` of them, such as
  the sitemap);
- shared tags such as ``article-lists`` or ``finder``, declared by the pages
  that show a list and by the models whose writes change such lists;
- ``app:articles``: the safety net, bumped by a write that cannot be
  attributed to an object (``QuerySet.update()``, ``bulk_create()``, raw SQL);
- ``all``: on every page, bumped by ``invalidate_all()``.

Each tag has a *version* in the cache: a token written when the tag is bumped,
taken from one shared increasing sequence. A cached page stores the versions
its tags had when it was rendered and is served only while they are unchanged;
a page whose tags were bumped after its rendering began is not stored at all
(see ``pagecache``), so a page built from rows read just before a commit can
never be stored as current.

Apps declare their models and pages in a ``cache_tags`` module, found at
start-up (``mhsite.apps``): this module imports neither app.
"""

import contextvars
import logging
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_init
from django.dispatch import Signal

logger = logging.getLogger(__name__)

ALL = "all"
TAG_KEY_PREFIX = "pagecache:tag:"
# Bumped by every write to an app's tables, attributed or not; pages never carry it.
WRITES_TAG = "writes"
# A page showing more objects of one model than this records the model's tag instead.
MAX_OBJECT_TAGS = 50


@dataclass(frozen=True)
class ModelTags:
    """How one model's objects are tagged on pages and what a write to one invalidates."""

    label: str
    # Shared tags every write to this model also invalidates (lists showing it).
    lists: frozenset[str] = frozenset()
    # Other objects' tags a write to this object invalidates (a FAQ's article).
    parents: Callable | None = None
    # False for small vocabularies shown everywhere: pages record the model's tag.
    per_object: bool = True

    def object_tag(self, pk) -> str:
        return f"{self.label}:{pk}" if self.per_object else self.label

    def written(self, instance) -> set[str]:
        tags = {self.label, self.object_tag(instance.pk), *self.lists}
        if self.parents is not None:
            tags.update(tag for tag in self.parents(instance) if tag)
        return tags

    def membership(self, pk) -> set[str]:
        """Tags invalidated when an object of this model joins or leaves a many-to-many."""
        if not self.per_object:
            return set()
        return {self.label, self.object_tag(pk), *self.lists}


@dataclass
class PageTags:
    """What one page declares: the query parameters it reads and its shared tags."""

    params: Callable[[], Iterable[str]] | frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    # True for a view that tells the reader about parameters it did not use: a
    # request with unknown ones is then rendered for that reader alone.
    names_unknown: bool = False
    # Parameters the view reads whose values are free text (a profile's "from",
    # the search it came from): such a page is rendered for that reader and never
    # stored, so arbitrary values cannot fill the cache.
    uncached_params: frozenset[str] = frozenset()

    def known_params(self) -> frozenset[str]:
        return frozenset(self.params() if callable(self.params) else self.params)


@dataclass
class Registry:
    models: dict[type, ModelTags] = field(default_factory=dict)
    pages: dict[str, PageTags] = field(default_factory=dict)
    # (callable returning the next moment a page may change without a write, app label)
    schedules: list[tuple[Callable, str]] = field(default_factory=list)


registry = Registry()


def object_tag(instance) -> str:
    """The tag of one object, for views that add tags by hand."""
    return registry.models[type(instance)].object_tag(instance.pk)


def register_model(
    model,
    *,
    lists: Iterable[str] = (),
    parents: Callable | None = None,
    per_object: bool = True,
) -> None:
    """Tag pages with the ``model`` objects they load, and invalidate them on writes."""
    registry.models[model] = ModelTags(
        label=model._meta.label_lower,
        lists=frozenset(lists),
        parents=parents,
        per_object=per_object,
    )
    post_init.connect(_record_instance, sender=model, weak=False, dispatch_uid=f"tags-{model}")


def register_page(
    url_name: str,
    *,
    params=frozenset(),
    tags: Iterable[str] = (),
    names_unknown: bool = False,
    uncached_params: Iterable[str] = (),
) -> None:
    """Declare a cached page's query parameters (a set or a callable) and shared tags.

    Other parameters are stripped before the view runs, so they neither create
    cache entries nor change the page, unless ``names_unknown`` (see PageTags).
    """
    registry.pages[url_name] = PageTags(
        params=params if callable(params) else frozenset(params),
        tags=frozenset(tags),
        names_unknown=names_unknown,
        uncached_params=frozenset(uncached_params),
    )


def register_schedule(next_change: Callable, app_label: str) -> None:
    """``next_change()`` gives the next moment (aware datetime or None) pages may change
    without a write; recomputed after any write to ``app_label``'s tables."""
    registry.schedules.append((next_change, app_label))


# Recording: the tags of the page being rendered in this thread or task.

_recording: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "pagecache_recording", default=None
)


def start_recording() -> contextvars.Token:
    return _recording.set({"tags": set(), "objects": {}})


def stop_recording(token: contextvars.Token) -> set[str]:
    state = _recording.get()
    _recording.reset(token)
    if state is None:
        return set()
    tags = set(state["tags"])
    for label, pks in state["objects"].items():
        if len(pks) > MAX_OBJECT_TAGS:
            tags.add(label)
        else:
            tags.update(f"{label}:{pk}" for pk in pks)
    return tags


def add_tags(*tags: str) -> None:
    """Record tags on the page being rendered (no effect outside a cached page)."""
    state = _recording.get()
    if state is not None:
        state["tags"].update(tags)


def _record_instance(sender, instance, **kwargs):
    state = _recording.get()
    if state is None or instance.pk is None:
        return
    spec = registry.models.get(sender)
    if spec is None:
        return
    state["tags"].add(f"app:{instance._meta.app_label}")
    if spec.per_object:
        state["objects"].setdefault(spec.label, set()).add(instance.pk)
    else:
        state["tags"].add(spec.label)


# Sent with ``tags`` and ``using`` whenever tags are invalidated, for stores
# derived from the same content that must follow the same writes (the
# article page's stored parts).
tags_invalidated = Signal()


# Versions.


def _key(tag: str) -> str:
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


def _bump_token() -> int:
    try:
        return cache.incr(SEQUENCE_KEY)
    except ValueError:  # the counter was evicted
        sequence()
        return cache.incr(SEQUENCE_KEY)


def versions(tags: Iterable[str]) -> dict[str, int | None]:
    tags = list(tags)
    found = cache.get_many([_key(tag) for tag in tags])
    return {tag: found.get(_key(tag)) for tag in tags}


def versions_for_storing(tags: Iterable[str]) -> dict[str, int]:
    """Current versions, giving a tag never bumped (or evicted) a fresh negative one.

    A negative version marks "created, not bumped"; a later bump or eviction
    changes it, so a page stored against it cannot outlive a change.
    """
    found = versions(tags)
    for tag, version in found.items():
        if version is None:
            cache.add(_key(tag), -time.time_ns() - secrets.randbelow(1000), timeout=None)
            found[tag] = cache.get(_key(tag))
    return found


def tag_version(tag: str) -> int:
    """The version of one tag, for other caches keyed on it (e.g. ``finder``)."""
    return versions_for_storing([tag])[tag]


def _bump_now(tags: set[str]) -> None:
    try:
        token = _bump_token()
        cache.set_many({_key(tag): token for tag in tags}, timeout=None)
    except Exception:  # The cache being down must never break an editor's save.
        logger.exception("Could not invalidate page cache tags %s", sorted(tags))


class _PendingPurge:
    """Tags bumped in one transaction, bumped again and purged once it commits."""

    def __init__(self):
        self.tags: set[str] = set()

    def __call__(self) -> None:
        _bump_now(self.tags)
        from . import purge  # imported late: it reads settings at first use

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
