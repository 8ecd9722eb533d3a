"""/healthz, and a friendly 503 within 2 seconds when the database is unreachable."""

import pytest
from django.db import OperationalError

from tests.factories import make_article


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "media storage"}
    assert all(check["status"] == "ok" for check in body["checks"].values())
    assert not response.cookies
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_503_when_the_query_fails(client, monkeypatch):
    from django.db import connection

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


@pytest.mark.django_db
def test_a_database_error_in_a_view_gets_the_friendly_503_page(client, monkeypatch):
    from articles import page_parts

    article = make_article()

    def refuse(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    # The article page's first query (a reader's: the article with its stored parts).
    monkeypatch.setattr(page_parts, "public_article", refuse)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "We'll be back shortly" in response.content.decode()


def test_healthz_answers_503_quickly_when_the_database_is_unreachable(
    production_app_without_database,
):
    status, headers, body, seconds = production_app_without_database.get("/healthz")
    assert status == 503
    assert seconds < 2
    assert "unavailable" in body
    assert headers.get("Set-Cookie") is None


@pytest.mark.parametrize("path", ["/", "/articles/", "/articles/some-article/", "/therapists/"])
def test_public_pages_answer_a_friendly_503_within_2_seconds(production_app_without_database, path):
    status, headers, body, seconds = production_app_without_database.get(path)
    assert seconds < 2, f"{path} took {seconds:.2f} s"
    assert status == 503
    assert headers["Retry-After"]
    # The real template (not the built-in fallback), and no traceback or error detail.
    assert "Nothing you did caused it" in body
    assert "Traceback" not in body and "OperationalError" not in body
    assert "/static/css/site." in body


def _database_down_middleware(get_response):
    def middleware(request):
        raise OperationalError("could not connect to server")

    return middleware


@pytest.mark.django_db
def test_a_database_error_outside_any_view_gets_the_503_page(client, settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.test_health._database_down_middleware"]
    client.raise_request_exception = False
    response = client.get("/articles/")
    assert response.status_code == 503
    assert "Nothing you did caused it" in response.content.decode()


@pytest.mark.django_db
def test_healthz_reports_a_dead_cache_as_degraded_not_down(client, settings):
    from tests.fault_servers import closed_port

    settings.CACHES = {
        "default": {
            "BACKEND": "mhsite.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1},
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["cache"]["status"] == "unavailable"
    assert body["checks"]["database"]["status"] == "ok"
    assert isinstance(body["checks"]["cache"]["latency_ms"], float)


@pytest.mark.django_db
def test_healthz_reports_failing_media_storage_as_degraded(client, monkeypatch):
    from django.core.files.storage import default_storage

    def broken(name):
        raise OSError("bucket unreachable")

    monkeypatch.setattr(default_storage, "exists", broken)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["media storage"]["status"] == "unavailable"


@pytest.mark.django_db
def test_healthz_answers_plain_http_with_ssl_redirect_on(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/articles/").status_code == 301
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
