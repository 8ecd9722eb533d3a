"""The admin's review queue: due and overdue articles by reviewer, one-click confirm."""

import datetime

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.utils import timezone

from articles import review_queue
from articles.models import Article, Review
from tests.factories import make_article, make_contributor
from tests.review_factories import make_reviewer_user, make_role_user

pytestmark = pytest.mark.django_db

QUEUE_URL = "/admin/articles/reviewqueue/"


def _due_in(days, **fields):
    today = timezone.localdate()
    return make_article(
        last_reviewed=today - datetime.timedelta(days=365),
        next_review_due=today + datetime.timedelta(days=days),
        **fields,
    )


def test_queue_lists_overdue_and_due_soon_grouped_by_reviewer_most_urgent_first(settings):
    settings.REVIEW_OVERDUE_GRACE_DAYS = 14
    ana, ben = make_contributor(name="Ana"), make_contributor(name="Ben")
    due_soon = _due_in(20, assigned_reviewer=ana, title="Due soon")
    overdue = _due_in(-3, assigned_reviewer=ana, title="Overdue")
    long_overdue = _due_in(-30, assigned_reviewer=ben, title="Long overdue")
    _due_in(90, assigned_reviewer=ana, title="Current")
    _due_in(-30, assigned_reviewer=ana, title="Archived", status=Article.Status.ARCHIVED)

    groups = review_queue.queue_groups()
    assert [g.reviewer for g in groups] == [ben, ana]
    assert [e.article for e in groups[0].entries] == [long_overdue]
    assert [e.article for e in groups[1].entries] == [overdue, due_soon]
    assert groups[0].entries[0].urgency == review_queue.OVERDUE_BEYOND_GRACE
    assert review_queue.queue_count() == 3


def test_queue_groups_by_assigned_reviewer_not_by_the_stamps_reviewer():
    did_last_review, does_next = make_contributor(name="Ana"), make_contributor(name="Ben")
    reassigned = _due_in(-3, reviewer=did_last_review, assigned_reviewer=does_next)
    unassigned = _due_in(5, reviewer=did_last_review)
    groups = review_queue.queue_groups()
    assert [(g.reviewer, [e.article for e in g.entries]) for g in groups] == [
        (does_next, [reassigned]),
        (None, [unassigned]),
    ]


def test_queue_page_and_index_badge(client):
    _due_in(-3)
    _due_in(10)
    client.force_login(make_role_user("Editor"))
    page = client.get(QUEUE_URL)
    assert page.status_code == 200
    assert page.context["total"] == 2
    index = client.get("/admin/").content.decode()
    assert QUEUE_URL in index
    assert 'class="review-badge review-badge-due">2<' in index


def test_queue_is_staff_only_and_hidden_from_directory_managers(client):
    assert client.get(QUEUE_URL).status_code == 302  # to the login page
    client.force_login(make_role_user("Directory manager"))
    assert client.get(QUEUE_URL).status_code == 403
    assert QUEUE_URL not in client.get("/admin/").content.decode()


def test_reviewer_confirms_still_accurate_in_one_click(client):
    user, contributor = make_reviewer_user()
    article = _due_in(-3)
    client.force_login(user)
    page = client.get(QUEUE_URL).content.decode()
    assert "Confirm still accurate" in page
    response = client.post(f"{QUEUE_URL}{article.pk}/confirm/", {"note": "Rechecked the doses."})
    assert response.status_code == 302
    review = Review.objects.get(article=article)
    assert review.scope == Review.Scope.FULL and review.outcome == Review.Outcome.APPROVED
    assert review.reviewer == contributor and review.reviewed_by_user == user
    assert "still accurate" in review.notes and "Rechecked the doses." in review.notes
    article.refresh_from_db()
    assert article.last_reviewed == timezone.localdate()
    assert article.next_review_due > timezone.localdate()
    entry = LogEntry.objects.get(object_id=str(article.pk))
    assert entry.action_flag == CHANGE and entry.user == user
    assert review_queue.queue_count() == 0


def test_confirm_needs_post_and_a_reviewer(client):
    article = _due_in(-3)
    writer = make_role_user("Writer")
    client.force_login(writer)
    assert "Confirm still accurate" not in client.get(QUEUE_URL).content.decode()
    assert client.post(f"{QUEUE_URL}{article.pk}/confirm/").status_code == 403
    user, _contributor = make_reviewer_user()
    client.force_login(user)
    assert client.get(f"{QUEUE_URL}{article.pk}/confirm/").status_code == 405
    assert not Review.objects.exists()


def test_confirm_is_csrf_protected(client):
    from django.test import Client

    user, _contributor = make_reviewer_user()
    article = _due_in(-3)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    assert strict.post(f"{QUEUE_URL}{article.pk}/confirm/").status_code == 403
    assert not Review.objects.exists()


def test_reviewer_without_a_contributor_profile_is_told_why_confirm_failed(client):
    client.force_login(make_role_user("Medical reviewer"))
    article = _due_in(-3)
    response = client.post(f"{QUEUE_URL}{article.pk}/confirm/", follow=True)
    assert "not linked to a contributor profile" in response.content.decode()
    assert not Review.objects.exists()


def test_queue_page_query_count_does_not_grow_with_articles(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(make_role_user("Editor"))
    _due_in(-3, assigned_reviewer=make_contributor())
    client.get(QUEUE_URL)  # warm the medication-term and session caches
    with CaptureQueriesContext(connection) as few:
        client.get(QUEUE_URL)
    for days in range(-20, 20, 2):
        _due_in(days, assigned_reviewer=make_contributor())
    with CaptureQueriesContext(connection) as many:
        assert client.get(QUEUE_URL).context["total"] == 21
    assert len(many) == len(few)
