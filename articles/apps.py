from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from . import review_admin, reviews, roles  # noqa: F401 - admin pages, receivers
        from .search import admin, signals  # noqa: F401 - search admin pages, receivers

        # The role groups follow articles/roles.py after every migrate.
        post_migrate.connect(roles.sync_groups_after_migrate, dispatch_uid="articles_sync_groups")
