"""The article page's stored parts (articles/page_parts.py): one query for a reader,
the same bytes as a live render, and never served after a change they do not show.

tests/test_cache_staleness.py also compares the stored parts with a live render
after random writes of every kind.
"""

import datetime
from unittest import mock

import pytest
from django.db import connection, transaction
from django.test import Client

from articles import page_parts
from articles.models import FAQ, Article, ArticlePageParts
from mhsite.signals import content_tables
from tests.article_pages import ARTICLE_PAGE_QUERIES, reviewed_article, without_nonces
from tests.factories import (
    link_related,
    make_article,
    make_category,
    make_contributor,
    make_faq,
    make_reference,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


def live(url: str) -> bytes:
    """The page rendered from the rows, ignoring anything stored."""
    with mock.patch("articles.page_parts.trusted_parts", return_value=None):
        return without_nonces(Client().get(url))


def stored(url: str, django_assert_num_queries) -> bytes:
    with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
        response = Client().get(url)
    assert response.status_code == 200
    return without_nonces(response)


@pytest.fixture
def article():
    article = reviewed_article(
        title="Sleep & mood <basics>",
        categories=[make_category(name="Sleep"), make_category(name="Mood")],
    )
    make_faq(article, question="Is this normal?", answer="Often **yes**.")
    make_reference(article)
    link_related(article, make_article(title="Related one"))
    return article


def test_stored_parts_give_the_live_render_byte_for_byte(
    client, article, django_assert_num_queries
):
    url = article.get_absolute_url()
    first = without_nonces(client.get(url))  # renders and stores
    assert ArticlePageParts.objects.get(pk=article.pk).parts is not None
    assert stored(url, django_assert_num_queries) == first == live(url)


@pytest.mark.parametrize(
    "write, shown",
    [
        (lambda a: Article.objects.filter(pk=a.pk).update(title="Renamed by update()"), "update()"),
        (lambda a: FAQ.objects.filter(article=a).update(question="Asked anew?"), "Asked anew?"),
        (lambda a: make_faq(a, question="A brand new question?"), "brand new question"),
        (lambda a: a.categories.add(make_category(name="Worry")), "Worry"),
        (lambda a: a.categories.filter(name="Sleep").update(name="Renamed"), "Renamed"),
        (lambda a: a.related_links.get().target.__class__.objects.filter(
            title="Related one").update(title="Related renamed"), "Related renamed"),
        (lambda a: type(a.reviewer).objects.filter(pk=a.reviewer_id).update(
            name="Dr. New Name"), "Dr. New Name"),
        (lambda a: a.related_links.all().delete() and None, None),
    ],
    ids=["article", "faq-update", "faq-add", "category-add", "category-rename",
         "related-target", "reviewer", "related-removed"],
)  # fmt: skip
def test_every_kind_of_write_invalidates_the_stored_parts(
    client, article, write, shown, django_assert_num_queries
):
    url = article.get_absolute_url()
    client.get(url)
    stored(url, django_assert_num_queries)
    write(article)
    after = Client().get(url)
    assert without_nonces(after) == live(url)
    if shown:
        assert shown.encode() in after.content
    else:
        assert b"Related one" not in after.content


def test_a_raw_sql_write_invalidates_every_article(client, article, django_assert_num_queries):
    other = make_article(title="Another article")
    for page in (article, other):
        client.get(page.get_absolute_url())
    with connection.cursor() as cursor:
        cursor.execute("UPDATE articles_article SET summary = %s", ["Raw summary"])
    for page in (article, other):
        assert b"Raw summary" in Client().get(page.get_absolute_url()).content


def test_a_write_to_one_article_leaves_the_others_stored(
    client, article, django_assert_num_queries
):
    other = make_article(title="Another article")
    for page in (article, other):
        client.get(page.get_absolute_url())
    article.title = "Edited"
    article.save()
    stored(other.get_absolute_url(), django_assert_num_queries)
    assert b"Edited" in Client().get(article.get_absolute_url()).content


def test_midnight_and_scheduled_publication_end_the_stored_parts(client, article, settings):
    later = make_article(
        title="Scheduled related", published_at=datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC)
    )
    link_related(article, later, order=5)
    client.get(article.get_absolute_url())
    row = ArticlePageParts.objects.get(pk=article.pk)
    assert row.valid_until == page_parts.valid_until()
    tomorrow = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=1, hours=1)
    assert page_parts.trusted_parts(row) is not None
    with mock.patch("django.utils.timezone.now", return_value=tomorrow):
        assert page_parts.trusted_parts(row) is None


def test_parts_read_before_a_write_are_never_stored(client, article):
    url = article.get_absolute_url()
    client.get(url)
    row = ArticlePageParts.objects.get(pk=article.pk)
    generation = row.generation
    parts, tags = page_parts.render(Client().get(url).wsgi_request, article)
    make_faq(article, question="Written meanwhile?")  # bumps the generation
    assert not page_parts.store(article.pk, generation, parts, tags, page_parts.valid_until())
    assert page_parts.trusted_parts(ArticlePageParts.objects.get(pk=article.pk)) is None


def test_a_settings_change_is_a_new_key(client, article, settings, django_assert_num_queries):
    url = article.get_absolute_url()
    client.get(url)
    settings.CRISIS_SUPPORT_TEXT = "Call the new line."
    assert b"Call the new line." in Client().get(url).content
    stored(url, django_assert_num_queries)


@pytest.mark.django_db(transaction=True)
def test_a_write_in_a_transaction_bumps_again_when_it_commits(client, article):
    client.get(article.get_absolute_url())
    before = ArticlePageParts.objects.get(pk=article.pk).generation
    with transaction.atomic():
        make_faq(article)
        make_reference(article)
    # Each write bumps at once (its own transaction sees it); one more bump after
    # the commit, for readers who read the old rows before it.
    assert ArticlePageParts.objects.get(pk=article.pk).generation == before + 3


def test_storing_parts_is_not_a_content_write():
    assert ArticlePageParts._meta.db_table not in content_tables()


def test_staff_get_a_live_render_and_store_nothing(admin_client, article):
    response = admin_client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert not ArticlePageParts.objects.filter(pk=article.pk).exists()


def test_an_author_rename_reaches_the_stored_byline(client, django_assert_num_queries):
    author = make_contributor(name="First Name")
    article = make_article(author=author)
    client.get(article.get_absolute_url())
    author.name = "Second Name"
    author.save()
    assert b"Second Name" in Client().get(article.get_absolute_url()).content


def test_signed_upload_urls_are_never_stored(client, article, settings):
    with mock.patch("articles.page_parts.default_storage.querystring_auth", True, create=True):
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        assert page_parts.current_key() is None
        assert ArticlePageParts.objects.get(pk=article.pk).parts is None
