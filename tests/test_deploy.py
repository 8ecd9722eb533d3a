"""The production configuration: `check --deploy` is clean, misconfiguration refuses to
start, gunicorn's settings follow the environment, media can live in object storage."""

import json
import multiprocessing
import runpy

import pytest

from tests.production import BASE_DIR, manage, production_env

GUNICORN_CONF = BASE_DIR / "mhsite" / "gunicorn.conf.py"


def test_check_deploy_reports_nothing_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("missing", "message"),
    [("SECRET_KEY", "SECRET_KEY is not set"), ("ALLOWED_HOSTS", "ALLOWED_HOSTS is empty")],
)
def test_debug_off_without_required_setting_refuses_to_start(missing, message):
    env = production_env()
    del env[missing]
    result = manage("check", env=env)
    assert result.returncode != 0
    assert message in result.stderr


def test_debug_off_with_the_development_secret_refuses_to_start():
    from mhsite.configuration.refusals import DEV_SECRET_KEY

    result = manage("check", env=production_env(SECRET_KEY=DEV_SECRET_KEY))
    assert result.returncode != 0
    assert "development SECRET_KEY cannot be used" in result.stderr


PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
from django.core.files.storage import default_storage, storages
values = {
    "debug": settings.DEBUG,
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "session_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "csrf_httponly": settings.CSRF_COOKIE_HTTPONLY,
    "hsts": settings.SECURE_HSTS_SECONDS,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "static": type(storages["staticfiles"]).__name__,
    "media": type(storages["default"]).__name__,
    "media_bucket": getattr(storages["default"], "bucket_name", None),
    "media_endpoint": getattr(storages["default"], "endpoint_url", None),
    "media_url": default_storage.url("articles/hero.jpg"),
    "database": settings.DATABASES["default"]["ENGINE"],
    "connect_timeout": settings.DATABASES["default"].get("OPTIONS", {}).get("connect_timeout"),
    "cache": settings.CACHES["default"]["BACKEND"],
    "img_src": [str(source) for source in settings.SECURE_CSP["img-src"]],
}
if storages["default"].__class__.__name__ == "S3Storage":
    from mhsite.markdown import is_allowed_image_src, render_markdown
    # What the editor's upload endpoint returns for a new image.
    uploaded = default_storage.url("markdownx/photo.png")
    values["upload"] = {
        "upload_kept_by_sanitizer": is_allowed_image_src(uploaded),
        "rendered": render_markdown(f"![A photo]({uploaded})"),
        "uploaded": uploaded,
    }
print(json.dumps(values))
"""


def production_settings(**env: str) -> dict:
    import subprocess

    from tests.production import PYTHON

    result = subprocess.run(
        [PYTHON, "-c", PRINT_SETTINGS],
        cwd=BASE_DIR,
        env=production_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_cookies_are_secure_and_httponly_and_static_is_hashed():
    values = production_settings()
    assert values["debug"] is False
    assert values["session_secure"] and values["session_httponly"]
    assert values["csrf_secure"] and values["csrf_httponly"]
    assert values["hsts"] >= 31536000
    assert values["ssl_redirect"] is True
    assert values["static"] == "CompressedManifestStaticFilesStorage"
    assert values["media"] == "FileSystemStorage"


def test_database_and_cache_come_from_the_environment():
    values = production_settings(
        DATABASE_URL="postgres://mhsite@db.internal:5432/mhsite",
        REDIS_URL="redis://cache.internal:6379/0",
    )
    assert values["database"] == "django.db.backends.postgresql"
    assert values["connect_timeout"] == 2
    assert values["cache"] == "mhsite.cache.ResilientRedisCache"


def test_media_goes_to_s3_compatible_storage_when_a_bucket_is_named():
    values = production_settings(
        AWS_STORAGE_BUCKET_NAME="mhsite-media",
        AWS_S3_ENDPOINT_URL="https://objects.example.com",
        AWS_S3_CUSTOM_DOMAIN="media.example.com",
        AWS_ACCESS_KEY_ID="test-key-id",
        AWS_SECRET_ACCESS_KEY="test-secret",
    )
    assert values["media"] == "S3Storage"
    assert values["media_bucket"] == "mhsite-media"
    assert values["media_endpoint"] == "https://objects.example.com"
    assert values["media_url"] == "https://media.example.com/media/articles/hero.jpg"


@pytest.mark.parametrize(
    "storage_env",
    [
        {"AWS_S3_CUSTOM_DOMAIN": "media.example.com"},
        {"AWS_S3_ENDPOINT_URL": "https://objects.example.com"},
        {"AWS_S3_REGION_NAME": "eu-central-1"},
    ],
    ids=["custom-domain", "s3-compatible-endpoint", "aws"],
)
def test_images_uploaded_to_object_storage_show_on_public_pages(storage_env):
    """The sanitizer keeps them and the CSP lets the browser load them."""
    values = production_settings(
        AWS_STORAGE_BUCKET_NAME="mhsite-media",
        AWS_ACCESS_KEY_ID="test-key-id",
        AWS_SECRET_ACCESS_KEY="test-secret",
        **storage_env,
    )
    upload = values["upload"]
    assert upload["upload_kept_by_sanitizer"], upload["uploaded"]
    assert f'src="{upload["uploaded"]}"' in upload["rendered"]
    origin = "https://" + upload["uploaded"].split("/")[2]
    assert origin in values["img_src"]


def test_local_media_adds_no_image_origin_to_the_csp():
    assert production_settings()["img_src"] == ["'self'", "data:"]


def test_gunicorn_workers_follow_cpu_count_and_port_from_env(monkeypatch):
    for name in ("WEB_CONCURRENCY", "PORT", "HOST"):
        monkeypatch.delenv(name, raising=False)
    config = runpy.run_path(str(GUNICORN_CONF))
    assert config["workers"] == multiprocessing.cpu_count() * 2 + 1
    assert config["bind"] == "127.0.0.1:8000"
    assert config["accesslog"] == "-"
    assert 0 < config["timeout"] <= 60
    assert config["graceful_timeout"] > 0


def test_gunicorn_settings_can_be_overridden_from_env(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("PORT", "9123")
    monkeypatch.setenv("HOST", "127.0.0.1")
    config = runpy.run_path(str(GUNICORN_CONF))
    assert config["workers"] == 3
    assert config["bind"] == "127.0.0.1:9123"
