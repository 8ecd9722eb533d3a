from django.apps import AppConfig


class TherapistsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "therapists"
    verbose_name = "Therapist directory"

    def ready(self):
        from articles.page_hooks import add_category_annotation

        from . import signals  # noqa: F401 - connects the search-vector receivers
        from .finder_links import category_specialty_slugs

        # The article page's finder link reads it (templatetags/finder_tags.py).
        add_category_annotation("specialty_slugs", category_specialty_slugs)
