"""SITE_URL left unset in development: links follow the host and port actually served."""

import re

import pytest

from tests.factories import make_article

pytestmark = pytest.mark.django_db

SERVED = "http://127.0.0.1:8201"


@pytest.fixture
def article(settings):
    settings.PAGE_CACHE_SECONDS = 0
    settings.SITE_URL = "http://127.0.0.1:8000"  # the default when unset
    return make_article(slug="calm-breathing")


def _get(client, path):
    response = client.get(path, HTTP_HOST="127.0.0.1:8201")
    assert response.status_code == 200
    return response.content.decode()


def test_unset_site_url_in_debug_follows_the_served_host_and_port(client, settings, article):
    settings.DEBUG = True
    settings.SITE_URL_FOLLOWS_REQUEST = True
    page = _get(client, article.get_absolute_url())
    url = f"{SERVED}/articles/calm-breathing/"
    assert f'<link rel="canonical" href="{url}">' in page
    assert f'<meta property="og:url" content="{url}">' in page
    assert f'"url": "{url}"' in page or f'"url":"{url}"' in page
    assert ":8000" not in page
    assert f"<link>{url}</link>" in _get(client, "/feed/")
    assert f"<loc>{url}</loc>" in _get(client, "/sitemap.xml")
    assert f"Sitemap: {SERVED}/sitemap.xml" in _get(client, "/robots.txt")


def test_a_configured_site_url_wins_over_the_served_host(client, settings, article):
    settings.DEBUG = True
    settings.SITE_URL_FOLLOWS_REQUEST = False
    page = _get(client, article.get_absolute_url())
    assert "http://127.0.0.1:8000/articles/calm-breathing/" in page
    assert not re.search(r"127\.0\.0\.1:8201", page)
    assert "<loc>http://127.0.0.1:8000/articles/calm-breathing/</loc>" in _get(
        client, "/sitemap.xml"
    )
