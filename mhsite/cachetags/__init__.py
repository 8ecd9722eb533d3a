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
start-up (``mhsite.apps``): this package imports neither app.
"""

from .invalidation import ALL, WRITES_TAG, invalidate_all, invalidate_tags, tags_invalidated
from .recording import MAX_OBJECT_TAGS, add_tags, register_model, start_recording, stop_recording
from .registry import (
    ModelTags,
    PageTags,
    Registry,
    object_tag,
    register_page,
    register_schedule,
    registry,
)
from .versions import (
    SEQUENCE_KEY,
    TAG_KEY_PREFIX,
    sequence,
    tag_version,
    versions,
    versions_for_storing,
)

__all__ = [
    "ALL",
    "MAX_OBJECT_TAGS",
    "SEQUENCE_KEY",
    "TAG_KEY_PREFIX",
    "WRITES_TAG",
    "ModelTags",
    "PageTags",
    "Registry",
    "add_tags",
    "invalidate_all",
    "invalidate_tags",
    "object_tag",
    "register_model",
    "register_page",
    "register_schedule",
    "registry",
    "sequence",
    "start_recording",
    "stop_recording",
    "tag_version",
    "tags_invalidated",
    "versions",
    "versions_for_storing",
]
