"""Which requests the page cache serves and stores, and the cache headers public pages carry."""

import pytest
from django.test import Client

from tests.factories import make_article
from tests.page_cache.helpers import get

pytestmark = pytest.mark.django_db


def test_anonymous_article_page_is_stored_then_served_from_the_cache(client, article):
    first = get(client, article.get_absolute_url())
    second = get(client, article.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content.decode().count("Sleeping well") >= 1


def test_cache_hit_makes_no_database_queries(client, article, django_assert_num_queries):
    get(client, article.get_absolute_url())
    with django_assert_num_queries(0):
        response = get(client, article.get_absolute_url())
    assert response["X-Page-Cache"] == "hit"


def test_staff_never_get_or_fill_the_cache(staff_client, article):
    client = Client()  # the `client` fixture is the one staff_client logs in
    draft = make_article(title="Unfinished draft", status="draft")
    preview = staff_client.get(draft.get_absolute_url())
    assert preview.status_code == 200
    assert "X-Page-Cache" not in preview
    assert "no-store" in preview["Cache-Control"] and "private" in preview["Cache-Control"]
    # Nothing the staff member saw reaches anonymous readers.
    assert get(client, draft.get_absolute_url()).status_code == 404
    staff_client.get(article.get_absolute_url())
    assert get(client, article.get_absolute_url())["X-Page-Cache"] == "miss"


def test_anonymous_public_page_has_cdn_cache_control(client, article, settings):
    response = get(client, article.get_absolute_url())
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert "public" in directives
    assert "max-age=0" in directives
    assert f"s-maxage={settings.PAGE_CACHE_CDN_SECONDS}" in directives
    assert any(d.startswith("stale-while-revalidate=") for d in directives)


def test_admin_is_never_cached(staff_client):
    response = staff_client.get("/admin/")
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
