"""The /search/ page: what it shows, what it never shows, bad input, its query budget."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_category, make_faq
from tests.search.helpers import SEARCH, found, search_page

pytestmark = pytest.mark.django_db


def test_every_page_has_a_search_box_in_the_header_that_works_without_javascript(client):
    make_article(title="Coping with worry", slug="coping")
    for url in [reverse("articles:home"), reverse("articles:list"), "/articles/coping/"]:
        html = client.get(url).content.decode()
        header = html.split("<header", 1)[1].split("</header>", 1)[0]
        assert f'action="{SEARCH}" method="get"' in header
        assert 'name="q"' in header and 'role="search"' in header
        assert '<label class="visually-hidden" for="site-search-q">' in header


def test_results_show_title_summary_highlighted_snippet_categories_and_review_state(client):
    category = make_category(name="Anxiety", slug="anxiety")
    make_article(
        title="Understanding worry",
        summary="A calm overview.",
        body="Some people notice that rumination keeps them awake at night.",
        categories=[category],
        last_reviewed=datetime.date(2026, 3, 4),
        next_review_due=timezone.localdate() + datetime.timedelta(days=200),
    )
    response = search_page(client, "rumination")
    html = response.content.decode()
    assert "Understanding worry" in html and "A calm overview." in html
    assert "<mark>rumination</mark>" in html
    assert 'href="/categories/anxiety/"' in html
    assert "Reviewed <time" in html and "March 2026" in html
    assert (
        response["Cache-Control"].startswith("max-age=0")
        and "no-store" in response["Cache-Control"]
    )
    assert response["X-Robots-Tag"] == "noindex"


def test_overdue_and_never_reviewed_articles_say_so(client):
    make_article(
        title="Old sleep advice",
        body="sleep hygiene",
        last_reviewed=timezone.localdate() - datetime.timedelta(days=800),
    )
    make_article(title="New sleep advice", body="sleep hygiene", last_reviewed=None)
    html = search_page(client, "hygiene").content.decode()
    assert "Review overdue" in html
    assert "Not yet medically reviewed" in html


def test_only_published_articles_ever_appear_not_in_results_counts_or_snippets(client):
    category = make_category(name="Secret category", slug="secret")
    now = timezone.now()
    make_article(title="Public zebrafish", body="zebrafish facts", categories=[category])
    hidden = {
        "Draft zebrafish": {"status": Article.Status.DRAFT},
        "In review zebrafish": {"status": Article.Status.IN_REVIEW},
        "Archived zebrafish": {"status": Article.Status.ARCHIVED},
        "Scheduled zebrafish": {"published_at": now + datetime.timedelta(days=3)},
        "Expired zebrafish": {
            "published_at": now - datetime.timedelta(days=30),
            "expires_at": now - datetime.timedelta(days=1),
        },
    }
    for title, fields in hidden.items():
        make_article(
            title=title, body="zebrafish secret-snippet-text", categories=[category], **fields
        )
    response = search_page(client, "zebrafish")
    assert [a.title for a in response.context["articles"]] == ["Public zebrafish"]
    outcome = response.context["outcome"]
    assert outcome.total == 1
    assert [(f.slug, f.count) for f in outcome.facets] == [("secret", 1)]
    html = response.content.decode()
    assert "secret-snippet-text" not in html and "Draft zebrafish" not in html


def test_category_filter_with_counts(client):
    anxiety = make_category(name="Anxiety", slug="anxiety")
    sleep = make_category(name="Sleep", slug="sleep")
    make_article(title="Breathing for worry", body="breathing", categories=[anxiety])
    make_article(title="Breathing for sleep", body="breathing", categories=[sleep])
    make_article(title="Breathing basics", body="breathing", categories=[anxiety, sleep])
    response = search_page(client, "breathing")
    facets = {f.slug: f.count for f in response.context["outcome"].facets}
    assert facets == {"anxiety": 2, "sleep": 2}
    assert 'Anxiety <span class="count">(2)</span>' in response.content.decode()
    assert sorted(found(client, "breathing", category="sleep")) == [
        "Breathing basics",
        "Breathing for sleep",
    ]


def test_pagination_keeps_the_query_and_category(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    category = make_category(slug="mood")
    for n in range(5):
        make_article(title=f"Mood note {n}", body="journaling helps", categories=[category])
    response = search_page(client, "journaling", category="mood")
    html = response.content.decode()
    assert "?q=journaling&amp;category=mood&amp;page=2" in html
    assert response.context["paginator"].num_pages == 3
    page3 = search_page(client, "journaling", category="mood", page=3)
    assert len(page3.context["articles"]) == 1
    # A page the search did not know in advance is loaded when the paginator asks.
    last = search_page(client, "journaling", category="mood", page="last")
    assert last.context["articles"] == page3.context["articles"]
    pages = [search_page(client, "journaling", page=n).context["articles"] for n in (1, 2, 3)]
    assert len({article.pk for page in pages for article in page}) == 5
    assert search_page(client, "journaling", page=9).status_code == 404


@pytest.mark.parametrize(
    "query",
    ['"', "-", "or", "NEAR(a b)", "title: x", "a AND OR NOT", "*", "'; DROP TABLE x; --", "((("],
)
def test_any_syntax_gives_a_page_never_an_error(client, query):
    make_article(title="Something", body="text")
    assert search_page(client, query).status_code == 200


def test_too_long_or_null_byte_queries_get_a_clear_error(client):
    response = search_page(client, "a" * 201)
    assert response.status_code == 400
    assert "Please shorten your search to 200 characters or fewer." in response.content.decode()
    assert response.context["outcome"] is None
    assert search_page(client, "bad\x00query").status_code == 400


def test_empty_search_shows_the_form_only(client):
    response = client.get(SEARCH)
    assert response.status_code == 200
    assert response.context["outcome"] is None
    assert 'id="search-q"' in response.content.decode()


def test_no_results_page_helps_the_reader(client):
    make_article(title="Something", body="text")
    html = search_page(client, "xylophones").content.decode()
    assert "No articles found" in html
    assert "Check the spelling" in html


def _warm(client):
    # Synonyms, crisis terms and the medication list are cached after one search.
    search_page(client, "warmup")


@pytest.mark.parametrize("count", [3, 15])
def test_results_page_makes_a_constant_number_of_queries(
    client, django_assert_num_queries, settings, count
):
    settings.ARTICLES_PER_PAGE = 10
    categories = [make_category(), make_category()]
    for n in range(count):
        article = make_article(title=f"Resilience {n}", body="resilience", categories=categories)
        make_faq(article)
    _warm(client)
    # PostgreSQL: the matches (count, facets and the page's ranked ids) with
    # the spelling candidates in one statement, and the page with its
    # categories. SQLite: the matches, spelling candidates, the page, its
    # categories.
    expected = 2 if connection.vendor == "postgresql" else 4
    with django_assert_num_queries(expected):
        response = search_page(client, "resilience")
    assert len(response.context["articles"]) == min(count, 10)
    # A chosen category and a later page cost no more: the category's count
    # comes with the facets, and only the shown page is ranked and loaded.
    last_page = (count - 1) // 10 + 1
    with django_assert_num_queries(expected):
        response = search_page(client, "resilience", category=categories[0].slug, page=last_page)
    assert len(response.context["articles"]) == count - 10 * (last_page - 1)
