"""The editorial roles: one Django group each, with exactly the permissions it needs.

The groups are created by a data migration and kept in sync after every
``migrate`` (a ``post_migrate`` handler calls ``sync_groups``), so a
permission added here, or a therapist model added later, reaches the groups
without anyone clicking through the admin. ``sync_groups`` replaces each
group's permissions with the list below: the code, not the database, is the
source of truth.
"""

from collections.abc import Iterable

from django.apps import apps as global_apps
from django.contrib.auth import get_user_model

WRITER = "Writer"
MEDICAL_REVIEWER = "Medical reviewer"
EDITOR = "Editor"
DIRECTORY_MANAGER = "Directory manager"

ALL = ("add", "change", "delete", "view")
READ = ("view",)

# Per role: "app_label.model" -> the actions allowed. The four default
# actions are expanded to Django's codenames (add_article, ...); anything
# else is a custom codename from the model's Meta.permissions. "app_label.*"
# means every permission of every model of that app.
ROLE_PERMISSIONS: dict[str, dict[str, Iterable[str]]] = {
    WRITER: {
        # Drafts: create and edit, never publish (publish_article), never
        # delete an article, never record a review.
        "articles.article": ("add", "change", "view"),
        "articles.faq": ALL,
        "articles.reference": ALL,
        "articles.relatedarticle": ALL,
        "articles.category": READ,
        "articles.contributor": READ,
        "articles.review": READ,
        "articles.medicationterm": READ,
    },
    MEDICAL_REVIEWER: {
        "articles.article": READ,
        "articles.faq": READ,
        "articles.reference": READ,
        "articles.relatedarticle": READ,
        "articles.category": READ,
        "articles.contributor": READ,
        "articles.review": ("add", "view"),
        "articles.medicationterm": READ,
    },
    EDITOR: {
        "articles.article": (
            *ALL,
            "publish_article",
            "assign_reviewer",
            "override_review_rules",
        ),
        "articles.faq": ALL,
        "articles.reference": ALL,
        "articles.relatedarticle": ALL,
        "articles.category": ALL,
        # Not link_contributor_user: linking a login to a profile decides whose
        # name the login signs reviews with, so it is left to administrators.
        "articles.contributor": ALL,
        # Reviews are recorded by Medical reviewers only (articles/signing.py).
        "articles.review": READ,
        "articles.medicationterm": ALL,
        "articles.publishoverride": READ,
        "articles.reminderlog": READ,
        # Rewritten, never added or deleted: the review stamp links to it.
        "articles.editorialpage": ("change", "view"),
    },
    DIRECTORY_MANAGER: {
        "therapists.*": ALL,
    },
}

# The apps whose permissions the roles refer to: groups are re-synced after
# each of them is migrated.
ROLE_APPS = {"articles", "therapists"}


def _codenames(model_name: str, actions: Iterable[str]) -> set[str]:
    return {f"{action}_{model_name}" if action in ALL else action for action in actions}


def role_permissions(role: str, apps=global_apps) -> list:
    """The Permission rows a role should have; missing ones (app not migrated yet) are skipped."""
    permission_model = apps.get_model("auth", "Permission")
    selected = []
    for target, actions in ROLE_PERMISSIONS[role].items():
        app_label, model_name = target.split(".")
        queryset = permission_model.objects.filter(content_type__app_label=app_label)
        if model_name != "*":
            queryset = queryset.filter(
                content_type__model=model_name, codename__in=_codenames(model_name, actions)
            )
        selected.extend(queryset)
    return selected


def sync_groups(apps=global_apps) -> None:
    """Create the role groups and set each one's permissions to exactly ROLE_PERMISSIONS."""
    group_model = apps.get_model("auth", "Group")
    for role in ROLE_PERMISSIONS:
        group, _created = group_model.objects.get_or_create(name=role)
        group.permissions.set(role_permissions(role, apps))


def sync_groups_after_migrate(sender, **kwargs) -> None:
    """post_migrate receiver: keep the groups in sync whenever a role's app is migrated."""
    if sender.label in ROLE_APPS:
        sync_groups(kwargs.get("apps") or global_apps)


def staff_follows_roles(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """m2m_changed receiver on User.groups: a role gives admin access, losing the last takes it.

    Superusers keep ``is_staff`` whatever their groups. Written with an
    UPDATE so that a user form saved just before (the admin's user page saves
    the user, then its groups) is not overwritten with stale values.
    """
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    user_model = get_user_model()
    if reverse:
        # group.user_set.add/remove/clear(): the users are in pk_set (or, for
        # clear, must be read before the rows go).
        if action == "pre_clear":
            instance._role_users_before_clear = list(instance.user_set.values_list("pk", flat=True))
            return
        if action == "post_clear":
            pk_set = getattr(instance, "_role_users_before_clear", [])
        user_ids = list(pk_set or [])
    elif action == "pre_clear":
        return
    else:
        user_ids = [instance.pk]
    users = user_model.objects.filter(pk__in=user_ids, is_superuser=False)
    with_role = users.filter(groups__name__in=ROLE_PERMISSIONS).values("pk")
    users.filter(pk__in=with_role).update(is_staff=True)
    users.exclude(pk__in=with_role).update(is_staff=False)
    if not reverse and not instance.is_superuser:
        instance.is_staff = users.filter(pk=instance.pk, is_staff=True).exists()
