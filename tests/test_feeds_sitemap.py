"""RSS and Atom feeds, /sitemap.xml and /robots.txt."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_category

pytestmark = pytest.mark.django_db

SITE = "https://mh.example.com"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def parse_xml(body: bytes) -> ET.Element:
    return ET.fromstring(body)  # noqa: S314 - our own response, not untrusted input


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def content():
    topic = make_category(name="Sleep", slug="sleep")
    drafts_only = make_category(name="Only drafts", slug="only-drafts")
    published = make_article(title="Out now", slug="out-now", categories=[topic])
    for status in (Article.Status.DRAFT, Article.Status.IN_REVIEW, Article.Status.ARCHIVED):
        make_article(title=f"Hidden {status}", status=status, categories=[drafts_only])
    make_article(
        title="Hidden scheduled",
        published_at=timezone.now() + datetime.timedelta(days=2),
        categories=[drafts_only],
    )
    return published


def test_rss_feed_lists_published_articles_only_with_absolute_links(client, content):
    response = client.get("/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")

    channel = parse_xml(response.content).find("channel")
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["Out now"]
    assert items[0].findtext("link") == f"{SITE}/articles/out-now/"
    assert items[0].findtext("description") == content.summary
    assert items[0].findtext("category") == "Sleep"
    assert channel.findtext("link") == f"{SITE}/articles/"


def test_atom_feed_lists_published_articles_only(client, content):
    response = client.get("/feed/atom/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")

    feed = parse_xml(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Out now"]
    assert entries[0].find(f"{ATOM}link").get("href") == f"{SITE}/articles/out-now/"
    assert entries[0].findtext(f"{ATOM}updated")
    # Atom needs an author for each entry: the publication covers any without one.
    assert feed.find(f"{ATOM}author").findtext(f"{ATOM}name") == "mhsite"


def test_feed_query_count_does_not_grow_with_articles(client, django_assert_num_queries):
    topic = make_category()
    make_article(categories=[topic])
    with django_assert_num_queries(2):
        client.get("/feed/")
    for _ in range(10):
        make_article(categories=[topic, make_category()])
    with django_assert_num_queries(2):
        client.get("/feed/")


def test_sitemap_lists_published_articles_and_browsable_categories(client, content):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200

    urls = {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in parse_xml(response.content).findall(f"{SITEMAP}url")
    }
    # Other apps add their own sections; these are the article ones.
    article_urls = {
        url for url in urls if url.startswith((f"{SITE}/articles/", f"{SITE}/categories/"))
    }
    assert article_urls == {
        f"{SITE}/articles/",
        f"{SITE}/articles/out-now/",
        f"{SITE}/categories/sleep/",
    }
    assert f"{SITE}/" in urls
    assert urls[f"{SITE}/articles/out-now/"].startswith(content.modified_at.date().isoformat())


def test_robots_txt_disallows_private_paths_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /markdownx/" in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
