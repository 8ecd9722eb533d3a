"""Substantive updates: the one way an article's public "Updated" date moves.

An ordinary save (a typo fix, a reworded sentence, a new image credit) changes
``modified_at`` only, which readers never see. An editor who changes what an
article tells readers says so explicitly, with the "This is a substantive
update" checkbox on the article form or the admin action of the same name;
both go through ``mark_substantive_update``, which checks the user may change
the article and records the update in the article's history. Imports set the
date from the file's ``updated`` key instead (articles/importing/saving.py).
"""

import datetime

import reversion
from django.db import transaction
from django.utils import timezone

from .models import Article

LOCKED_STATUSES = {Article.Status.PUBLISHED, Article.Status.ARCHIVED}


class UpdateRefused(Exception):
    """The user may not mark this article as substantively updated; the message says why."""


def check_can_mark(user, article: Article) -> None:
    """Raise ``UpdateRefused`` unless ``user`` may mark ``article`` as substantively updated.

    The same rule as changing the article at all: change permission, and for a
    published or archived article the permission to publish (writers cannot
    touch those, see articles/admin/workflow.py).
    """
    if user is None or not user.has_perm("articles.change_article"):
        raise UpdateRefused("You do not have permission to change articles.")
    if article.status in LOCKED_STATUSES and not user.has_perm("articles.publish_article"):
        raise UpdateRefused(
            "Only editors can mark a published or archived article as substantively updated."
        )


def mark_substantive_update(
    article: Article, user, *, on: datetime.date | None = None, save: bool = True
) -> datetime.date:
    """Set the article's last substantive update to ``on`` (default today) and return it.

    With ``save=False`` only the attribute is set, for a caller that saves the
    article itself in the same revision (the admin form).
    """
    check_can_mark(user, article)
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise UpdateRefused("A substantive update cannot be dated in the future.")
    article.last_substantive_update = on
    if save:
        with transaction.atomic(), reversion.create_revision():
            reversion.set_user(user)
            reversion.set_comment(f"Marked as a substantive update on {on.isoformat()}.")
            article.save(update_fields=["last_substantive_update"])
    return on
