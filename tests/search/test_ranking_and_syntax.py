"""Ranking (field weights, review state) and the query syntax, on both engines."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import make_article, make_faq
from tests.search.helpers import BODY_PADDING, found

pytestmark = pytest.mark.django_db


def test_a_title_match_ranks_above_a_summary_match_above_a_body_match(client):
    make_article(
        title="Everyday habits", summary="Short.", body=BODY_PADDING + "Mindfulness helps."
    )
    make_article(title="Calm routines", summary="Mindfulness for beginners.", body=BODY_PADDING)
    make_article(title="Mindfulness explained", summary="Short.", body=BODY_PADDING)
    assert found(client, "mindfulness") == [
        "Mindfulness explained",
        "Calm routines",
        "Everyday habits",
    ]


def test_faq_questions_and_headings_count_more_than_body_text(client):
    body_only = make_article(title="Plain body", body=BODY_PADDING + "Journaling is fine.")
    with_faq = make_article(title="With FAQ", body=BODY_PADDING)
    make_faq(with_faq, question="Does journaling help?", answer="Often.")
    make_article(title="With heading", body=BODY_PADDING + "\n\n## Journaling\n\nText.\n")
    titles = found(client, "journaling")
    assert titles.index("With FAQ") < titles.index(body_only.title)
    assert titles.index("With heading") < titles.index(body_only.title)


def test_at_equal_relevance_a_current_review_ranks_before_an_overdue_one(client):
    today = timezone.localdate()
    make_article(
        title="Gratitude practice",
        slug="overdue",
        body="gratitude",
        last_reviewed=today - datetime.timedelta(days=900),
        published_at=timezone.now() - datetime.timedelta(hours=1),
    )
    make_article(
        title="Gratitude practice",
        slug="current",
        body="gratitude",
        last_reviewed=today - datetime.timedelta(days=30),
        published_at=timezone.now() - datetime.timedelta(days=40),
    )
    response = found(client, "gratitude")
    assert len(response) == 2
    slugs = [a.slug for a in _articles(client, "gratitude")]
    assert slugs == ["current", "overdue"]


def _articles(client, q):
    from tests.search.helpers import search_page

    return list(search_page(client, q).context["articles"])


def test_quoted_phrase_exclusion_and_or(client):
    make_article(title="Sleep routine guide", body="A steady sleep routine helps.")
    make_article(title="Routine and sleep", body="Routine matters. Sleep matters too.")
    make_article(title="Grief and sleep", body="Grief can disturb sleep routine.")
    make_article(title="Burnout basics", body="Burnout at work.")
    assert sorted(found(client, '"sleep routine"')) == ["Grief and sleep", "Sleep routine guide"]
    assert found(client, '"sleep routine" -grief') == ["Sleep routine guide"]
    assert sorted(found(client, "burnout or grief")) == ["Burnout basics", "Grief and sleep"]


def test_words_are_stemmed(client):
    make_article(title="Worrying less", body="Notes on worries.")
    assert found(client, "worry") == ["Worrying less"]
