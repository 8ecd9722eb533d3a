"""Invalidate the page cache whenever public content changes, however it changes.

Model signals miss ``QuerySet.update()``, ``bulk_create()`` and raw SQL, which
admin actions, imports and review recording use. So the cache watches the SQL
itself: every database connection gets an execute wrapper that bumps the
content generation after any INSERT, UPDATE or DELETE on a table of the content
apps (``PAGE_CACHE_CONTENT_APPS``), including many-to-many tables. A model
added to those apps later is covered without touching this file. Tables of
models that never change a public page (logs, readers' reports) are listed in
``PAGE_CACHE_IGNORED_MODELS``, so an anonymous form submission cannot flush
the cache.
"""

import re
from functools import cache as memoize

from django.apps import apps
from django.conf import settings
from django.db.backends.signals import connection_created
from django.dispatch import receiver

from . import pagecache

# The table a write statement changes, as Django's SQL compilers write them
# (quoted with " on PostgreSQL and SQLite; SQLite's many-to-many adds are
# INSERT OR IGNORE).
WRITE_TARGET_RE = re.compile(
    r'^\s*(?:UPDATE|INSERT\s+(?:OR\s+\w+\s+|IGNORE\s+)?INTO|DELETE\s+FROM)\s+[`"]?(\w+)',
    re.IGNORECASE,
)


@memoize
def content_tables() -> frozenset[str]:
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.app_label not in settings.PAGE_CACHE_CONTENT_APPS:
            continue
        if meta.auto_created:
            # A many-to-many table belongs to the model that declares the field.
            owner = meta.auto_created._meta
            if owner.label_lower in settings.PAGE_CACHE_IGNORED_MODELS:
                continue
        elif meta.label_lower in settings.PAGE_CACHE_IGNORED_MODELS:
            continue
        tables.add(meta.db_table.lower())
    return frozenset(tables)


def changes_content(sql: str) -> bool:
    match = WRITE_TARGET_RE.match(sql)
    return bool(match) and match.group(1).lower() in content_tables()


def invalidate_on_content_write(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if changes_content(sql):
        pagecache.invalidate()
    return result


@receiver(connection_created, dispatch_uid="pagecache_watch_writes")
def watch_content_writes(sender, connection, **kwargs):
    if invalidate_on_content_write not in connection.execute_wrappers:
        connection.execute_wrappers.append(invalidate_on_content_write)
