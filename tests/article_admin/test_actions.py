"""The article changelist's actions: publishing and marking reviewed."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import Article
from mhsite.dates import add_months
from tests.article_admin.helpers import CHANGELIST, offered_actions
from tests.factories import make_article, make_contributor, make_staff_user


@pytest.mark.django_db
def test_publish_action_sets_status_and_published_at(staff_client):
    before = timezone.now()
    drafts = [make_article(status=Article.Status.DRAFT) for _ in range(2)]
    response = staff_client.post(
        CHANGELIST, {"action": "publish", "_selected_action": [a.pk for a in drafts]}
    )
    assert response.status_code == 302
    for article in drafts:
        article.refresh_from_db()
        assert article.status == Article.Status.PUBLISHED
        assert before <= article.published_at <= timezone.now()
    assert Article.objects.published().count() == 2


@pytest.mark.django_db
def test_publish_action_refuses_articles_that_break_publishing_rules(staff_client, settings):
    settings.REQUIRE_REVIEW_TO_PUBLISH = True
    unreviewed = make_article(status=Article.Status.DRAFT, last_reviewed=None)
    response = staff_client.post(
        CHANGELIST,
        {"action": "publish", "_selected_action": [unreviewed.pk]},
        follow=True,
    )
    unreviewed.refresh_from_db()
    assert unreviewed.status == Article.Status.DRAFT
    assert unreviewed.published_at is None
    assert "Not published" in response.content.decode()


@pytest.mark.django_db
def test_publish_action_is_offered_only_to_users_who_may_publish(client):
    from django.contrib.auth.models import Permission

    writer = make_staff_user("writer", superuser=False)
    writer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_article", "change_article"])
    )
    client.force_login(writer)
    assert "publish" not in offered_actions(client.get(CHANGELIST))
    writer.user_permissions.add(Permission.objects.get(codename="publish_article"))
    assert "publish" in offered_actions(client.get(CHANGELIST))


@pytest.mark.django_db
def test_mark_reviewed_today_records_a_review_signed_by_the_user(staff_client, settings):
    settings.REVIEW_INTERVAL_MONTHS = 12
    today = timezone.localdate()
    # Recording reviews takes the Medical reviewer role, even for a superuser.
    staff_client.user.groups.add(Group.objects.get(name="Medical reviewer"))
    me = make_contributor(user=staff_client.user, credentials="MD, psychiatrist")
    stale = make_article(
        last_reviewed=today - datetime.timedelta(days=500),
        next_review_due=today - datetime.timedelta(days=100),
    )
    never = make_article(reviewer=None, last_reviewed=None)
    response = staff_client.post(
        CHANGELIST,
        {"action": "mark_reviewed_today", "_selected_action": [stale.pk, never.pk]},
    )
    assert response.status_code == 302
    for article in (stale, never):
        article.refresh_from_db()
        assert article.last_reviewed == today
        assert article.next_review_due == add_months(today, 12)
        assert article.reviewer == me
        assert article.review_state() == "current"


@pytest.mark.django_db
def test_mark_reviewed_today_needs_a_reviewer_profile(staff_client):
    staff_client.user.groups.add(Group.objects.get(name="Medical reviewer"))
    today = timezone.localdate()
    stale = make_article(
        last_reviewed=today - datetime.timedelta(days=500),
        next_review_due=today - datetime.timedelta(days=100),
    )
    response = staff_client.post(
        CHANGELIST, {"action": "mark_reviewed_today", "_selected_action": [stale.pk]}, follow=True
    )
    stale.refresh_from_db()
    assert stale.last_reviewed == today - datetime.timedelta(days=500)
    assert "contributor profile" in response.content.decode()
