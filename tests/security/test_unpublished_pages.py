"""Topics and contributors with only unpublished work are 404 and leak nothing of it."""

import datetime

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_category, make_contributor

pytestmark = pytest.mark.django_db

SECRET = "Unannounced trial results"


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


def unpublished_work(**fields) -> list[Article]:
    """One article in every state the public must not see."""
    future = timezone.now() + datetime.timedelta(days=3)
    past = timezone.now() - datetime.timedelta(days=3)
    states = [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.IN_REVIEW},
        {"status": Article.Status.ARCHIVED},
        {"published_at": future},
        {"published_at": past - datetime.timedelta(days=1), "expires_at": past},
    ]
    return [
        make_article(title=f"{SECRET} {n}", summary=f"{SECRET}.", **state, **fields)
        for n, state in enumerate(states)
    ]


def assert_leaks_nothing(client, url: str, *secrets: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    page = response.content.decode()
    for secret in (SECRET, *secrets):
        assert secret not in page
    for listing in ("/", "/articles/", "/sitemap.xml"):
        listed = client.get(listing).content.decode()
        assert url not in listed
        for secret in (SECRET, *secrets):
            assert secret not in listed


def test_a_category_with_only_unpublished_articles_is_404_and_unlisted(client):
    topic = make_category(name="Secret topic name", slug="secret-topic", description="Hidden.")
    for article in unpublished_work():
        article.categories.set([topic])

    assert_leaks_nothing(client, "/categories/secret-topic/", "Secret topic name", "Hidden.")
    assert client.get("/categories/secret-topic/?page=2").status_code == 404


def test_a_contributor_with_only_unpublished_work_is_404_and_unlisted(client):
    person = make_contributor(
        name="Dr. Hidden Example", slug="hidden-example", bio="A bio nobody should read yet."
    )
    unpublished_work(author=person)
    unpublished_work(reviewer=person)
    url = "/contributors/hidden-example/"

    assert_leaks_nothing(client, url, "Dr. Hidden Example", "A bio nobody should read yet.")
    for query in ("?written=1", "?reviewed=2", "?written=abc"):
        assert client.get(url + query).status_code == 404


def test_a_published_author_page_lists_none_of_their_drafts(client):
    person = make_contributor(slug="public-example")
    make_article(title="Their public article", author=person)
    unpublished_work(author=person)
    unpublished_work(reviewer=person)

    response = client.get("/contributors/public-example/")

    assert response.status_code == 200
    assert "Their public article" in response.content.decode()
    assert SECRET not in response.content.decode()


def test_a_contributor_page_closes_when_their_only_article_expires(client):
    person = make_contributor(slug="expiring-example")
    article = make_article(author=person)
    url = "/contributors/expiring-example/"
    assert client.get(url).status_code == 200

    Article.objects.filter(pk=article.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    assert client.get(url).status_code == 404
