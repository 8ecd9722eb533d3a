"""Publishing rules, scheduled publishing and expiry."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from articles import publishing
from articles.models import Article, PublishOverride
from articles.reviews import refresh_changed_flag
from tests.factories import make_article, make_faq
from tests.review_factories import make_reviewed_article, make_role_user

pytestmark = pytest.mark.django_db


def _later(**delta):
    return timezone.now() + datetime.timedelta(**delta)


# Scheduling and expiry: decided by Article.objects.published() at query time.


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    # The page cache keys on the real clock; these tests move timezone.now().
    settings.PAGE_CACHE_SECONDS = 0


def test_a_scheduled_article_appears_at_its_publish_time_without_a_cron_job(client):
    article = make_article(published_at=_later(hours=2))
    assert article not in Article.objects.published()
    assert client.get(article.get_absolute_url()).status_code == 404
    with mock.patch("django.utils.timezone.now", return_value=_later(hours=3)):
        assert article in Article.objects.published()
        assert article.is_public


def test_an_expired_article_disappears_at_its_expiry_time(client):
    article = make_article(expires_at=_later(hours=1))
    assert article in Article.objects.published()
    assert client.get(article.get_absolute_url()).status_code == 200
    with mock.patch("django.utils.timezone.now", return_value=_later(hours=2)):
        assert article not in Article.objects.published()
        assert not article.is_public
        assert client.get(article.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    "published, expires, changed, field_error",
    [
        (None, -1, True, "in the past"),
        (+2, +1, True, "after the publish date"),
        (+1, +1, True, "after the publish date"),
        (None, +1, True, None),
        (None, -1, False, None),  # an old expiry nobody touched is not an error
    ],
)
def test_schedule_errors(published, expires, changed, field_error):
    now = timezone.now()
    published_at = now + datetime.timedelta(days=published) if published is not None else None
    errors = publishing.schedule_errors(
        published_at, now + datetime.timedelta(days=expires), expiry_changed=changed, now=now
    )
    if field_error:
        assert field_error in errors["expires_at"]
    else:
        assert errors == {}


# Publishing rules (the service used by the admin action and imports).


def test_publishing_needs_an_approved_full_review():
    article = make_article(status=Article.Status.DRAFT, last_reviewed=None)
    problems = publishing.publish(article)
    assert [p.code for p in problems] == ["no_review"]
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_publishing_refuses_an_overdue_review():
    article = make_article(
        status=Article.Status.DRAFT,
        last_reviewed=timezone.localdate() - datetime.timedelta(days=400),
        next_review_due=timezone.localdate() - datetime.timedelta(days=1),
    )
    assert [p.code for p in publishing.publish(article)] == ["review_overdue"]


def test_publishing_refuses_text_changed_since_review():
    article = make_reviewed_article(status=Article.Status.DRAFT)
    article.body = article.body.replace("50 mg", "150 mg")
    article.save()
    refresh_changed_flag(article)
    assert [p.code for p in publishing.publish(article)] == ["changed_since_review"]


def test_publishing_a_reviewed_article_succeeds_and_sets_the_publish_date():
    article = make_reviewed_article(status=Article.Status.DRAFT)
    assert publishing.publish(article) == []
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at <= timezone.now()


def test_review_requirement_can_be_switched_off(settings):
    settings.REQUIRE_REVIEW_TO_PUBLISH = False
    article = make_article(status=Article.Status.DRAFT, last_reviewed=None)
    assert publishing.publish(article) == []


def test_blocking_content_checks_block_publishing_and_cannot_be_overridden(settings):
    settings.BLOCKING_CONTENT_CHECKS = ["empty_faq_answer"]
    article = make_reviewed_article(status=Article.Status.DRAFT)
    make_faq(article, question="Is it safe?", answer="  ")
    (problem,) = publishing.publish(article)
    assert problem.code == "check:empty_faq_answer" and not problem.overridable
    settings.BLOCKING_CONTENT_CHECKS = []
    assert publishing.publish(article) == []


def test_publishing_with_an_expiry_in_the_past_is_refused():
    article = make_reviewed_article(status=Article.Status.DRAFT, published_at=None, expires_at=None)
    Article.objects.filter(pk=article.pk).update(expires_at=_later(hours=-1))
    article.refresh_from_db()
    assert [p.code for p in publishing.publish(article)] == ["schedule"]


# The article form in the admin.


def _article_form_data(article, **overrides):
    data = {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "body": article.body,
        "image_alt": "",
        "image_credit": "",
        "image_credit_url": "",
        "status": article.status,
        "published_at_0": "",
        "published_at_1": "",
        "expires_at_0": "",
        "expires_at_1": "",
        "categories": [],
        "author": article.author_id or "",
        "assigned_reviewer": article.assigned_reviewer_id or "",
        "edit_token_seen": str(article.edit_token),
        "override_reason": "",
    }
    for prefix in ("faqs", "references", "related_links", "reviews"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(overrides)
    return data


def _change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


def _form_errors(response):
    form = response.context["adminform"].form
    return " ".join(str(e) for e in form.non_field_errors()) + str(form.errors)


def test_editor_cannot_publish_an_unreviewed_article_without_a_reason(client):
    editor = make_role_user("Editor")
    article = make_article(status=Article.Status.DRAFT, last_reviewed=None)
    client.force_login(editor)
    response = client.post(_change_url(article), _article_form_data(article, status="published"))
    assert response.status_code == 200
    assert "no approved full medical review" in _form_errors(response)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_editor_override_with_a_reason_publishes_and_is_recorded(client):
    editor = make_role_user("Editor")
    article = make_article(status=Article.Status.DRAFT, last_reviewed=None)
    client.force_login(editor)
    response = client.post(
        _change_url(article),
        _article_form_data(
            article, status="published", override_reason="Urgent safety update; review booked."
        ),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    override = PublishOverride.objects.get(article=article)
    assert override.user == editor
    assert "no approved full medical review" in override.overridden_rules


def test_a_sensitive_edit_to_a_published_article_needs_a_new_review(client):
    editor = make_role_user("Editor")
    article = make_reviewed_article()
    client.force_login(editor)
    data = _article_form_data(article, body=article.body.replace("50 mg", "500 mg"))
    response = client.post(_change_url(article), data)
    assert response.status_code == 200
    assert "needs a new full review" in _form_errors(response)
    article.refresh_from_db()
    assert "50 mg" in article.body and "500 mg" not in article.body


def test_a_non_sensitive_edit_to_a_published_article_saves(client):
    editor = make_role_user("Editor")
    article = make_reviewed_article()
    client.force_login(editor)
    data = _article_form_data(article, body=article.body + "\nSleep helps too.\n")
    assert client.post(_change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert "Sleep helps too." in article.body and not article.changed_since_review


@pytest.mark.parametrize(
    "overrides, message",
    [
        (
            {"expires_at_0": "2001-01-01", "expires_at_1": "10:00"},
            "in the past",
        ),
        (
            {
                "published_at_0": "2100-01-02",
                "published_at_1": "10:00",
                "expires_at_0": "2100-01-01",
                "expires_at_1": "10:00",
            },
            "after the publish date",
        ),
    ],
)
def test_invalid_schedules_give_a_form_error_not_a_crash(client, overrides, message):
    editor = make_role_user("Editor")
    article = make_reviewed_article(status=Article.Status.DRAFT)
    client.force_login(editor)
    response = client.post(_change_url(article), _article_form_data(article, **overrides))
    assert response.status_code == 200
    assert message in _form_errors(response)


def test_editor_schedules_an_article_for_later(client):
    editor = make_role_user("Editor")
    article = make_reviewed_article(status=Article.Status.DRAFT, published_at=None)
    client.force_login(editor)
    data = _article_form_data(
        article, status="published", published_at_0="2100-01-01", published_at_1="09:00"
    )
    assert client.post(_change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article not in Article.objects.published()


def test_publish_action_respects_the_rules(client):
    editor = make_role_user("Editor")
    ready = make_reviewed_article(status=Article.Status.DRAFT, slug="ready")
    unreviewed = make_article(status=Article.Status.DRAFT, last_reviewed=None, slug="unreviewed")
    client.force_login(editor)
    response = client.post(
        "/admin/articles/article/",
        {"action": "publish", "_selected_action": [ready.pk, unreviewed.pk]},
        follow=True,
    )
    assert response.status_code == 200
    ready.refresh_from_db()
    unreviewed.refresh_from_db()
    assert ready.status == Article.Status.PUBLISHED
    assert unreviewed.status == Article.Status.DRAFT
    assert "no approved full medical review" in response.content.decode()
