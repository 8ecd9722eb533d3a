from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class MhsiteConfig(AppConfig):
    """The project itself as an app, so its signal receivers load at start-up."""

    name = "mhsite"
    verbose_name = "mhsite"

    def ready(self):
        from . import signals

        # Each app's cache_tags module declares its pages and models to the page
        # cache, which imports no app itself.
        autodiscover_modules("cache_tags")
        signals.connect_registered_models()
