"""Article cards on every list page say "Reviewed <month year>" or "Review overdue"."""

import datetime

import pytest
from django.utils import timezone

from articles.models import ReviewBadge
from tests.factories import make_article, make_category, make_contributor
from tests.test_contributor_pages import CONTRIBUTOR_QUERIES
from tests.test_views import CATEGORY_QUERIES, HOME_QUERIES, INDEX_QUERIES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.PAGE_CACHE_SECONDS = 0
    settings.ARTICLES_PER_PAGE = 50


def four_states(**fields):
    today = timezone.localdate()
    make_article(
        title="Current one",
        last_reviewed=datetime.date(2026, 3, 4),
        next_review_due=today + datetime.timedelta(days=200),
        **fields,
    )
    make_article(
        title="Overdue one",
        last_reviewed=today - datetime.timedelta(days=400),
        next_review_due=today - datetime.timedelta(days=1),
        **fields,
    )
    make_article(title="Never one", last_reviewed=None, **fields)
    make_article(title="Changed one", changed_since_review=True, **fields)


def card(page: str, title: str) -> str:
    """The HTML of the card whose title is ``title``."""
    start = page.index(f">{title}</a>")
    return page[start : page.index("</article>", start)]


def test_the_badge_follows_the_review_state():
    today = datetime.date(2026, 6, 1)
    reviewed = make_article(
        last_reviewed=datetime.date(2026, 3, 4), next_review_due=datetime.date(2026, 6, 10)
    )
    overdue = make_article(
        last_reviewed=datetime.date(2025, 3, 4), next_review_due=datetime.date(2026, 5, 31)
    )
    assert reviewed.review_badge(today) == ReviewBadge(
        "reviewed", "Reviewed", datetime.date(2026, 3, 4)
    )
    assert overdue.review_badge(today) == ReviewBadge("overdue", "Review overdue")
    assert make_article(last_reviewed=None).review_badge(today).kind == "pending"
    assert make_article(changed_since_review=True).review_badge(today).kind == "pending"


def assert_labels(page: str) -> None:
    assert '<span class="review-state review-state--reviewed">Reviewed ' in card(
        page, "Current one"
    )
    assert '<time datetime="2026-03">March 2026</time>' in card(page, "Current one")
    assert ">Review overdue</span>" in card(page, "Overdue one")
    assert "Reviewed" not in card(page, "Overdue one")
    assert ">Not yet medically reviewed</span>" in card(page, "Never one")
    assert ">Updated, not yet re-reviewed</span>" in card(page, "Changed one")


def test_home_index_category_and_contributor_cards_show_the_state(
    client, django_assert_num_queries
):
    topic = make_category(slug="topic")
    person = make_contributor(slug="person")
    four_states(categories=[topic], author=person)

    for url, queries in [
        ("/", HOME_QUERIES),
        ("/articles/", INDEX_QUERIES),
        ("/categories/topic/", CATEGORY_QUERIES),
        # Only the written list here: an empty reviewed list runs no page query.
        ("/contributors/person/", CONTRIBUTOR_QUERIES - 2),
    ]:
        with django_assert_num_queries(queries):
            response = client.get(url)
        assert response.status_code == 200
        assert_labels(response.content.decode())
