"""Which stored article page parts a write makes untrustworthy (articles/page_parts.py).

Every write that invalidates page-cache tags (``mhsite.cachetags.tags_invalidated``:
attributed saves and deletes, and the safety net's unattributed ``update()``,
``bulk_create()`` and raw SQL) bumps the ``generation`` of the stored parts of
the articles it names, at once (the writer's own transaction sees it) and
again after the transaction commits (readers who read the old rows just
before the commit cannot store them). A write touching categories,
contributors, the finder's specialties or an unattributed table bumps every
row.
"""

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F

from mhsite import cachetags

from .models import ArticlePageParts

ALL = "all"
EVERY_ARTICLE_TAGS = {cachetags.ALL, "app:articles", "app:therapists", "therapists.specialty"}
EVERY_ARTICLE_PREFIXES = ("articles.category", "articles.contributor")
ARTICLE_TAG_PREFIX = "articles.article:"


def _affected(tags) -> set[int] | str:
    ids = set()
    for tag in tags:
        if tag in EVERY_ARTICLE_TAGS or tag.startswith(EVERY_ARTICLE_PREFIXES):
            return ALL
        if tag.startswith(ARTICLE_TAG_PREFIX):
            ids.add(int(tag.removeprefix(ARTICLE_TAG_PREFIX)))
    return ids


_table_ready: set[str] = set()


def _has_table(using: str) -> bool:
    # Data migrations that run before the table exists write articles too.
    if using not in _table_ready:
        with connections[using].cursor() as cursor:
            names = connections[using].introspection.table_names(cursor)
        if ArticlePageParts._meta.db_table not in names:
            return False
        _table_ready.add(using)
    return True


def bump(affected: set[int] | str, using: str) -> None:
    rows = ArticlePageParts.objects.using(using)
    if affected != ALL:
        rows = rows.filter(pk__in=affected)
    rows.update(generation=F("generation") + 1)


class _PendingBump:
    """This transaction's affected rows, bumped once more when it commits."""

    def __init__(self, using: str):
        self.using = using
        self.affected: set[int] | str = set()

    def add(self, affected) -> None:
        if affected == ALL or self.affected == ALL:
            self.affected = ALL
        else:
            self.affected |= affected

    def __call__(self) -> None:
        bump(self.affected, self.using)


def invalidate(sender, tags, using=None, **kwargs) -> None:
    """Receiver of ``mhsite.cachetags.tags_invalidated``."""
    using = using or DEFAULT_DB_ALIAS
    affected = _affected(tags)
    if not affected or not _has_table(using):
        return
    bump(affected, using)
    connection = connections[using]
    if not connection.in_atomic_block:
        return
    pending = getattr(connection, "_page_parts_pending", None)
    if pending is None or not any(entry[1] is pending for entry in connection.run_on_commit):
        pending = connection._page_parts_pending = _PendingBump(using)
        transaction.on_commit(pending, using=using, robust=True)
    pending.add(affected)


def connect() -> None:
    cachetags.tags_invalidated.connect(invalidate, dispatch_uid="articles_page_parts")
