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
