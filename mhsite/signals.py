"""Invalidate the page cache whenever public content changes.

Receivers listen to every model save, delete and many-to-many change and act on
models of the content apps (``PAGE_CACHE_CONTENT_APPS``), so a model added later
is covered without touching this file. Models that never change what a page
shows (logs, reader reports) are listed in ``PAGE_CACHE_IGNORED_MODELS`` so an
anonymous form submission cannot flush the cache.

Bulk ``QuerySet.update()``/``bulk_create()`` send no signals: code that uses
them on content must call ``mhsite.pagecache.invalidate()`` itself.
"""

from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from . import pagecache


def _is_content(model) -> bool:
    meta = model._meta
    return (
        meta.app_label in settings.PAGE_CACHE_CONTENT_APPS
        and meta.label_lower not in settings.PAGE_CACHE_IGNORED_MODELS
    )


@receiver(post_save, dispatch_uid="pagecache_post_save")
@receiver(post_delete, dispatch_uid="pagecache_post_delete")
def content_saved_or_deleted(sender, **kwargs):
    if _is_content(sender):
        pagecache.invalidate()


@receiver(m2m_changed, dispatch_uid="pagecache_m2m_changed")
def content_relation_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and (_is_content(sender) or _is_content(type(instance))):
        pagecache.invalidate()
