from django.apps import AppConfig


class MhsiteConfig(AppConfig):
    """The project itself as an app, so its signal receivers load at start-up."""

    name = "mhsite"
    verbose_name = "mhsite"

    def ready(self):
        from . import signals  # noqa: F401
