"""Django inside a bench process, as production runs it: DEBUG off, no Redis.

The benches that time views in-process (finder, finder writes, finder
understanding, article search) share this start-up; without Redis the cache is
local memory in the process, so a bench can clear it before each cold request.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(database_name: str) -> None:
    """Configure production-like settings on ``database_name`` (unless DATABASE_URL
    is set) and call ``django.setup()``."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mhsite.settings")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{database_name}")
    os.environ.pop("REDIS_URL", None)

    import django

    django.setup()


def plain_storages(function):
    """``function`` run with plain file-system storages.

    The benches render pages without running collectstatic first, so the
    manifest storage production uses would fail on every ``{% static %}``.
    """
    from django.test.utils import override_settings

    return override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    )(function)
