from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from . import check_cache, review_admin, reviews, roles  # noqa: F401 - admin pages, receivers

        check_cache.connect_signals()

        # The role groups follow articles/roles.py after every migrate.
        post_migrate.connect(roles.sync_groups_after_migrate, dispatch_uid="articles_sync_groups")
