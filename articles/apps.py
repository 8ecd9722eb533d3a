from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_migrate


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from . import check_cache, page_parts_invalidation, reviews, roles  # noqa: F401 - receivers
        from .search import signals  # noqa: F401 - receivers

        check_cache.connect_signals()
        page_parts_invalidation.connect()

        # The role groups follow articles/roles.py after every migrate.
        post_migrate.connect(roles.sync_groups_after_migrate, dispatch_uid="articles_sync_groups")
        # Joining a role gives admin access; leaving the last role takes it away.
        m2m_changed.connect(
            roles.staff_follows_roles,
            sender=get_user_model().groups.through,
            dispatch_uid="articles_staff_follows_roles",
        )
