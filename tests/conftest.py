import pytest
from django.db import connection


def pytest_collection_modifyitems(config, items):
    """Run PostgreSQL-only tests only against PostgreSQL.

    They are deselected, not skipped, on other databases: the SQLite pass and
    the PostgreSQL pass of `.ci/run` together run every test.
    """
    if connection.vendor == "postgresql":
        return
    selected, deselected = [], []
    for item in items:
        (deselected if item.get_closest_marker("postgres") else selected).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, test against a database file rather than Django's in-memory one.

    The live server of the browser tests answers in several threads at once
    (the admin's live preview fires requests while a page loads). With an
    in-memory database Django hands every one of those threads the test's
    single connection, and concurrent use of it fails at random with
    "database table is locked" or "bad parameter or other API misuse". A file
    gives each thread its own connection and SQLite's ordinary locking, as in
    production.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(
            tmp_path_factory.mktemp("database") / "test.sqlite3"
        )


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    """Uploads in tests land in a temporary folder, never in the project's media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 costs about a second per test user on these machines; tests need no strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def production_app_without_database(tmp_path_factory):
    """gunicorn with production settings (DEBUG off) whose database is unreachable."""
    from tests.production import app_without_database, collect_static

    static_root = tmp_path_factory.mktemp("static")
    collect_static(static_root)
    with app_without_database(static_root) as server:
        yield server


@pytest.fixture
def staff_client(client, django_user_model):
    from tests.factories import make_staff_user

    user = make_staff_user()
    client.force_login(user)
    client.user = user
    return client
