"""Invalidate exactly the cached pages a write touches, and never fewer.

Two layers:

- **Attributed writes.** ``save()``, ``delete()`` and many-to-many changes of
  a model registered in ``mhsite.cachetags`` send signals that name the
  object, so only its tags (its pages, the lists showing it, its parents) are
  invalidated.
- **The safety net.** Model signals miss ``QuerySet.update()``,
  ``bulk_create()`` and raw SQL, which admin actions, imports and review
  recording use. So every database connection also gets an execute wrapper
  that reads each INSERT, UPDATE and DELETE: a write to a table of the
  content apps (``PAGE_CACHE_CONTENT_APPS``) that no signal announced bumps
  the app's ``app:<label>`` tag, which every page showing that app's data
  carries. A model added to those apps later is covered without touching this
  file. Tables of models that never change a public page (logs, readers'
  reports) are listed in ``PAGE_CACHE_IGNORED_MODELS``, so an anonymous form
  submission cannot flush the cache.

A signal announces a write by marking its table *expected* on the connection
before the SQL runs (``pre_save``, ``pre_delete``, ``m2m_changed`` pre_*) and
clearing it afterwards. A failed statement, or any statement that is not a
write (a save that failed before its SQL leaves its mark behind; the next
query clears it), clears the marks too, so a mark can never hide a later
unannounced write.
"""

import re
from collections import Counter
from contextlib import contextmanager
from functools import cache as memoize

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.signals import connection_created
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from . import cachetags

# The table a write statement changes, as Django's SQL compilers write them
# (quoted with " on PostgreSQL and SQLite; SQLite's many-to-many adds are
# INSERT OR IGNORE).
WRITE_TARGET_RE = re.compile(
    r'^\s*(?:UPDATE|INSERT\s+(?:OR\s+\w+\s+|IGNORE\s+)?INTO|DELETE\s+FROM)\s+[`"]?(\w+)',
    re.IGNORECASE,
)


@memoize
def content_tables() -> dict[str, str]:
    """Table name → app label, for every table whose writes can change a public page."""
    tables = {}
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
        tables[meta.db_table.lower()] = meta.app_label
    return tables


def written_table(sql: str) -> str | None:
    """The content table ``sql`` writes to, or None."""
    match = WRITE_TARGET_RE.match(sql)
    if not match:
        return None
    table = match.group(1).lower()
    return table if table in content_tables() else None


def changes_content(sql: str) -> bool:
    return written_table(sql) is not None


def _expected(connection) -> Counter:
    expected = getattr(connection, "_pagecache_expected", None)
    if expected is None:
        expected = connection._pagecache_expected = Counter()
        connection._pagecache_in_receiver = False
    return expected


def _invalidate(using, tags_of, *args, app_labels) -> None:
    """Invalidate ``tags_of(*args)``; its own queries (a parent lookup) clear no marks."""
    connection = connections[using]
    _expected(connection)
    connection._pagecache_in_receiver = True
    try:
        tags = tags_of(*args)
    finally:
        connection._pagecache_in_receiver = False
    cachetags.invalidate_tags(tags, app_labels=app_labels, using=using)


def invalidate_on_content_write(execute, sql, params, many, context):
    connection = context["connection"]
    expected = _expected(connection)
    if expected and not connection._pagecache_in_receiver and not WRITE_TARGET_RE.match(sql):
        # Between an announcement and its post signal Django runs only the
        # announced writes; any other statement means that save or delete
        # failed before its SQL, and its post signal will not come.
        expected.clear()
    try:
        result = execute(sql, params, many, context)
    except Exception:
        expected.clear()  # the announced write failed: its post signal will not come
        raise
    table = written_table(sql)
    if table is not None and not expected[table]:
        label = content_tables()[table]
        cachetags.invalidate_tags({f"app:{label}"}, app_labels={label}, using=connection.alias)
    return result


@receiver(connection_created, dispatch_uid="pagecache_watch_writes")
def watch_content_writes(sender, connection, **kwargs):
    if invalidate_on_content_write not in connection.execute_wrappers:
        connection.execute_wrappers.append(invalidate_on_content_write)


# Attributed writes.


def _tables_of(model) -> list[str]:
    # A child model's save also writes its parents' tables.
    models = [model, *model._meta.get_parent_list()]
    return [m._meta.db_table.lower() for m in models]


def _delete_tables(model) -> list[str]:
    """A delete also removes the object's rows in many-to-many tables, on either side."""
    tables = _tables_of(model)
    for relation in model._meta.get_fields(include_hidden=True):
        through = getattr(getattr(relation, "remote_field", None), "through", None)
        if relation.many_to_many and through is not None and through._meta.auto_created:
            tables.append(through._meta.db_table.lower())
    return tables


def _expect(using, tables) -> None:
    _expected(connections[using]).update(tables)


def _done(using, tables) -> None:
    expected = _expected(connections[using])
    expected.subtract(tables)
    for table in [t for t, count in expected.items() if count <= 0]:
        del expected[table]


@contextmanager
def writes_no_public_page(model, using=DEFAULT_DB_ALIAS):
    """Writes to ``model``'s table inside the block change no public page.

    For columns only the admin shows (stored content-check results): without
    it, the safety net would take such an ``update()`` for an unattributed
    content write and drop every cached page of the app.
    """
    tables = _tables_of(model)
    _expect(using, tables)
    try:
        yield
    finally:
        _done(using, tables)


@contextmanager
def within_announced_write(using=DEFAULT_DB_ALIAS):
    """Queries another receiver runs while a save or delete is announced (a
    search index reading the row it is about to forget) keep the announcement:
    otherwise they would read as a failed write and the delete's own SQL would
    fall back to dropping every page of the app."""
    connection = connections[using]
    _expected(connection)
    previous = connection._pagecache_in_receiver
    connection._pagecache_in_receiver = True
    try:
        yield
    finally:
        connection._pagecache_in_receiver = previous


def _spec(sender):
    return cachetags.registry.models.get(sender)


def _before_save(sender, instance, raw=False, using=None, **kwargs):
    if _spec(sender) is not None:
        _expect(using, _tables_of(sender))


def _after_save(sender, instance, raw=False, using=None, **kwargs):
    spec = _spec(sender)
    if spec is None:
        return
    _done(using, _tables_of(sender))
    _invalidate(using, spec.written, instance, app_labels={sender._meta.app_label})


def _before_delete(sender, instance, using=None, **kwargs):
    if _spec(sender) is not None:
        _expect(using, _delete_tables(sender))


def _after_delete(sender, instance, using=None, **kwargs):
    spec = _spec(sender)
    if spec is None:
        return
    _done(using, _delete_tables(sender))
    _invalidate(using, spec.written, instance, app_labels={sender._meta.app_label})


def _membership_changed(sender, instance, action, model, pk_set, using=None, **kwargs):
    spec = _spec(type(instance))
    if spec is None or not sender._meta.auto_created:
        return  # an explicit through model is saved, and tagged, like any model
    table = sender._meta.db_table.lower()
    if action.startswith("pre_"):
        _expect(using, [table])
        return
    _done(using, [table])

    def tags_of(instance):
        tags = spec.written(instance)
        related = _spec(model)
        for pk in pk_set or ():
            tags |= related.membership(pk) if related else {f"app:{model._meta.app_label}"}
        return tags

    labels = {type(instance)._meta.app_label, model._meta.app_label}
    _invalidate(using, tags_of, instance, app_labels=labels)


def connect_registered_models() -> None:
    """Listen to the registered models only: a receiver for every sender would turn
    Django's fast bulk deletes into row-by-row ones everywhere."""
    for model in cachetags.registry.models:
        uid = model._meta.label_lower
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"pagecache-pre-save-{uid}")
        post_save.connect(_after_save, sender=model, dispatch_uid=f"pagecache-post-save-{uid}")
        pre_delete.connect(_before_delete, sender=model, dispatch_uid=f"pagecache-pre-del-{uid}")
        post_delete.connect(_after_delete, sender=model, dispatch_uid=f"pagecache-post-del-{uid}")
        for relation in model._meta.many_to_many:
            through = relation.remote_field.through
            m2m_changed.connect(
                _membership_changed, sender=through, dispatch_uid=f"pagecache-m2m-{through}"
            )
