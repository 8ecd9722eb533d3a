"""Linking a contributor profile to a login: a privileged, recorded act.

A login linked to a profile signs medical reviews with that profile's name and
credentials (articles/signing.py), so whoever links them decides whose name a
login may put on the public stamp. Only superusers and holders of the
``articles.link_contributor_user`` permission may do it (no role has it), and
every change is written to the contributor's admin history with the old and
new login.
"""

from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.db import transaction

from .models import Contributor

LINK_PERMISSION = "articles.link_contributor_user"


def can_link_users(user) -> bool:
    return bool(user and user.is_active and user.has_perm(LINK_PERMISSION))


def _describe(login) -> str:
    return login.get_username() if login is not None else "no login"


@transaction.atomic
def link_user(contributor: Contributor, login, *, by) -> Contributor:
    """Link ``contributor`` to ``login`` (None unlinks), as ``by``; PermissionDenied otherwise."""
    if not can_link_users(by):
        raise PermissionDenied(
            "Only administrators may link a contributor profile to a login: the login "
            "signs medical reviews with that profile's name."
        )
    stored = Contributor.objects.select_for_update().filter(pk=contributor.pk).first()
    before = stored.user if stored is not None else None
    contributor.user = login
    contributor._user_link_checked = True
    contributor.save()
    if (before.pk if before else None) != (login.pk if login else None):
        LogEntry.objects.log_actions(
            user_id=by.pk,
            queryset=[contributor],
            action_flag=CHANGE,
            change_message=f"Login changed from {_describe(before)} to {_describe(login)}.",
            single_object=True,
        )
    return contributor
