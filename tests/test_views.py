"""Home, article index, category pages, pagination, error pages and their query budgets."""

import datetime

import pytest
from django.test import RequestFactory
from django.utils import timezone
from django.views.defaults import server_error
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article
from tests.factories import make_article, make_category

pytestmark = pytest.mark.django_db

SITE = "https://mh.example.com"
# count + page of articles + their categories
INDEX_QUERIES = 3
# category + count + page of articles + their categories
CATEGORY_QUERIES = 4
# latest articles + their categories + categories with published articles
HOME_QUERIES = 3

BAD_PAGES = ["abc", "0", "-1", "999", "%00", "1.5", "2"]


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.ARTICLES_PER_PAGE = 3
    # Measure the views themselves, not the anonymous page cache in front of them.
    settings.PAGE_CACHE_SECONDS = 0


def unpublished_articles(category=None) -> list[Article]:
    categories = [category] if category else []
    return [
        make_article(title="Secret draft", status=Article.Status.DRAFT, categories=categories),
        make_article(title="Secret review", status=Article.Status.IN_REVIEW, categories=categories),
        make_article(title="Secret archive", status=Article.Status.ARCHIVED, categories=categories),
        make_article(
            title="Secret scheduled",
            published_at=timezone.now() + datetime.timedelta(days=1),
            categories=categories,
        ),
    ]


# --- Home ----------------------------------------------------------------------


def test_home_lists_latest_published_articles_newest_first(client):
    now = timezone.now()
    for days in range(8):
        make_article(title=f"Story {days}", published_at=now - datetime.timedelta(days=days + 1))
    unpublished_articles()

    response = client.get("/")
    content = response.content.decode()

    assert response.status_code == 200
    shown = [f"Story {days}" for days in range(6)]
    assert [content.index(title) for title in shown] == sorted(
        content.index(title) for title in shown
    )
    assertNotContains(response, "Story 6")
    assertNotContains(response, "Secret")


def test_home_lists_only_categories_with_published_articles(client):
    used = make_category(name="Sleep", slug="sleep")
    only_drafts = make_category(name="Grief", slug="grief")
    make_category(name="Empty", slug="empty")
    make_article(categories=[used])
    make_article(status=Article.Status.DRAFT, categories=[only_drafts])

    response = client.get("/")

    assertContains(response, '<a href="/categories/sleep/">Sleep</a>', html=True)
    assertNotContains(response, "/categories/grief/")
    assertNotContains(response, "/categories/empty/")


def test_home_calls_to_the_therapist_finder_and_links_feeds(client):
    response = client.get("/")
    assertContains(
        response, '<a class="button" href="/therapists/">Find a therapist</a>', html=True
    )
    assertContains(response, '<link rel="alternate" type="application/rss+xml"')
    assertContains(response, '<link rel="alternate" type="application/atom+xml"')
    assertContains(response, f'<link rel="canonical" href="{SITE}/">')


def test_home_query_count_is_constant(client, django_assert_num_queries):
    category = make_category()
    make_article(categories=[category])
    with django_assert_num_queries(HOME_QUERIES):
        assert client.get("/").status_code == 200

    for _ in range(10):
        make_article(categories=[category, make_category()])
    with django_assert_num_queries(HOME_QUERIES):
        assert client.get("/").status_code == 200


# --- Index ---------------------------------------------------------------------


def test_index_lists_published_articles_only(client):
    make_article(title="Visible one")
    unpublished_articles()
    response = client.get("/articles/")
    assertContains(response, "Visible one")
    assertNotContains(response, "Secret")


def test_index_paginates_and_links_between_pages(client):
    for n in range(5):
        make_article(title=f"Paged {n}")

    first = client.get("/articles/")
    second = client.get("/articles/?page=2")

    assert first.content.decode().count('<article class="card">') == 3
    assertContains(first, '<a href="?page=2" rel="next">Next page</a>', html=True)
    assert second.content.decode().count('<article class="card">') == 2
    assertContains(second, '<a href="?page=1" rel="prev">Previous page</a>', html=True)
    assertContains(second, f'<link rel="canonical" href="{SITE}/articles/?page=2">')
    assert client.get("/articles/?page=last").status_code == 200


@pytest.mark.parametrize("page", BAD_PAGES)
def test_index_bad_or_out_of_range_page_is_404(client, page):
    make_article()
    response = client.get(f"/articles/?page={page}")
    assert response.status_code == 404


def test_index_with_no_articles_is_200_not_404(client):
    response = client.get("/articles/")
    assertContains(response, "No articles have been published yet.")


def test_index_query_count_is_the_same_for_1_and_50_articles(client, django_assert_num_queries):
    categories = [make_category(), make_category()]
    make_article(categories=categories)
    with django_assert_num_queries(INDEX_QUERIES):
        assert client.get("/articles/").status_code == 200

    for _ in range(49):
        make_article(categories=categories)
    with django_assert_num_queries(INDEX_QUERIES):
        assert client.get("/articles/").status_code == 200
    with django_assert_num_queries(INDEX_QUERIES):
        assert client.get("/articles/?page=17").status_code == 200


# --- Category pages --------------------------------------------------------------


def test_category_page_lists_its_published_articles_only(client):
    category = make_category(name="Anxiety", slug="anxiety", description="About worry.")
    make_article(title="In category", categories=[category])
    make_article(title="Elsewhere", categories=[make_category()])
    unpublished_articles(category)

    response = client.get("/categories/anxiety/")

    assertContains(response, "<h1>Anxiety</h1>", html=True)
    assertContains(response, "About worry.")
    assertContains(response, "In category")
    assertNotContains(response, "Elsewhere")
    assertNotContains(response, "Secret")
    assertContains(response, f'<link rel="canonical" href="{SITE}/categories/anxiety/">')


def test_unknown_category_is_404(client):
    assert client.get("/categories/nope/").status_code == 404


def test_category_without_published_articles_is_404_like_a_draft(client):
    quiet = make_category(slug="quiet")
    unpublished_articles(quiet)
    make_category(slug="empty")
    assert client.get("/categories/quiet/").status_code == 404
    assert client.get("/categories/empty/").status_code == 404
    make_article(categories=[quiet])
    assert client.get("/categories/quiet/").status_code == 200


@pytest.mark.parametrize("page", BAD_PAGES)
def test_category_bad_or_out_of_range_page_is_404(client, page):
    category = make_category(slug="topic")
    make_article(categories=[category])
    assert client.get(f"/categories/topic/?page={page}").status_code == 404


def test_category_query_count_is_the_same_for_1_and_50_articles(client, django_assert_num_queries):
    category = make_category(slug="busy")
    make_article(categories=[category])
    with django_assert_num_queries(CATEGORY_QUERIES):
        assert client.get("/categories/busy/").status_code == 200

    for _ in range(49):
        make_article(categories=[category, make_category()])
    with django_assert_num_queries(CATEGORY_QUERIES):
        assert client.get("/categories/busy/").status_code == 200


# --- Site furniture and error pages ---------------------------------------------


def test_pages_have_landmarks_skip_link_and_no_inline_styles_or_scripts(client):
    article = make_article()
    for url in ("/", "/articles/", article.get_absolute_url(), "/no-such-page/"):
        content = client.get(url).content.decode()
        assert '<a class="skip-link" href="#main">' in content
        assert '<main id="main"' in content
        assert '<nav class="site-nav" aria-label="Main">' in content
        assert "style=" not in content
        assert "<style" not in content
        # The only script elements are JSON-LD data blocks carrying the CSP nonce.
        assert content.count("<script") == content.count('<script type="application/ld+json"')


def test_crisis_note_comes_from_settings_on_every_page(client, settings):
    settings.CRISIS_SUPPORT_TEXT = "Configured crisis text."
    settings.CRISIS_SUPPORT_LINK_TEXT = "Example helpline"
    for url in ("/", "/articles/"):
        assertContains(client.get(url), "Configured crisis text.")
    assertContains(client.get("/articles/"), "Example helpline")


def test_404_page_is_friendly_and_links_onwards(client):
    response = client.get("/no-such-page/")
    assertContains(response, "We couldn’t find that page", status_code=404)
    assertContains(response, 'href="/therapists/"', status_code=404)


def test_500_page_renders_without_database_or_context_processors(
    settings, django_assert_num_queries
):
    settings.CRISIS_SUPPORT_TEXT = "Configured crisis text."
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    content = response.content.decode()
    assert "Something went wrong on our side" in content
    assert "Configured crisis text." in content
    assert "{{" not in content
