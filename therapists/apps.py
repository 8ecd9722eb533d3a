from django.apps import AppConfig


class TherapistsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "therapists"
    verbose_name = "Therapist directory"

    def ready(self):
        from . import signals  # noqa: F401 - connects the search-vector receivers
