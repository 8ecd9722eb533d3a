"""Hole 6 of issue 8: articles awaiting their first review reach the queue and the reminders.

An article In review with an assigned reviewer and no review yet had no
due date, so it was in nobody's Review queue and no reminder named it.
"""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from articles import review_queue
from articles.models import Article
from tests.factories import make_article, make_contributor
from tests.review_factories import make_reviewer_user

pytestmark = pytest.mark.django_db

QUEUE_URL = "/admin/articles/reviewqueue/"


def _awaiting(title, reviewer, days_old=0):
    article = make_article(
        title=title,
        status=Article.Status.IN_REVIEW,
        last_reviewed=None,
        reviewer=None,
        assigned_reviewer=reviewer,
    )
    created = timezone.now() - datetime.timedelta(days=days_old)
    Article.objects.filter(pk=article.pk).update(created_at=created)
    return article


def _overdue(title, reviewer, days=30):
    today = timezone.localdate()
    return make_article(
        title=title,
        assigned_reviewer=reviewer,
        last_reviewed=today - datetime.timedelta(days=400),
        next_review_due=today - datetime.timedelta(days=days),
    )


def test_first_reviews_head_their_reviewers_section_oldest_first(client):
    user, me = make_reviewer_user()
    newer = _awaiting("Newer draft", me, days_old=1)
    older = _awaiting("Older draft", me, days_old=9)
    overdue = _overdue("Overdue page", me)
    make_article(title="Plain draft", status=Article.Status.DRAFT, last_reviewed=None)

    [group] = review_queue.queue_groups()
    assert [entry.article for entry in group.entries] == [older, newer, overdue]
    assert group.entries[0].urgency_label == "Awaiting first review"
    assert review_queue.queue_count() == 3

    client.force_login(user)
    page = client.get(QUEUE_URL).content.decode()
    assert page.index("Older draft") < page.index("Newer draft") < page.index("Overdue page")
    assert f"/admin/articles/review/add/?article={older.pk}" in page


def test_a_reviewer_sees_their_own_section_first(client, settings):
    settings.REVIEW_OVERDUE_GRACE_DAYS = 14
    user, me = make_reviewer_user()
    other = make_contributor(name="Aaron Other")
    _overdue("Someone else's long overdue page", other, days=60)
    _awaiting("My first review", me)
    client.force_login(user)
    groups = client.get(QUEUE_URL).context["groups"]
    assert [group.reviewer for group in groups] == [me, other]


def test_reminders_name_articles_awaiting_their_first_review():
    _user, me = make_reviewer_user()
    _awaiting("Needs a first look", me)
    _awaiting("Nobody assigned yet", None)
    editor_user, _profile = make_reviewer_user("ed", role="Editor")
    call_command("review_reminders", stdout=mock.MagicMock())
    by_recipient = {message.to[0]: message.body for message in mail.outbox}
    assert "Needs a first look (awaiting first review" in by_recipient["reviewer@example.com"]
    assert "Nobody assigned yet" in by_recipient[editor_user.email]
