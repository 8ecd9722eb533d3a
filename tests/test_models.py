"""Article model behaviour: review dates, cached HTML, review state, visibility, constraints."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, ReviewState
from mhsite.dates import add_months
from tests.factories import (
    link_related,
    make_article,
    make_contributor,
    make_faq,
    make_reference,
)

TODAY = datetime.date(2026, 6, 15)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2025, 3, 10), 12, datetime.date(2026, 3, 10)),
        (datetime.date(2025, 11, 30), 3, datetime.date(2026, 2, 28)),
        (datetime.date(2024, 1, 31), 1, datetime.date(2024, 2, 29)),  # leap year
        (datetime.date(2023, 1, 31), 1, datetime.date(2023, 2, 28)),
        (datetime.date(2024, 2, 29), 12, datetime.date(2025, 2, 28)),
        (datetime.date(2024, 3, 31), 1, datetime.date(2024, 4, 30)),
        (datetime.date(2024, 12, 15), 1, datetime.date(2025, 1, 15)),
        (datetime.date(2024, 8, 31), 6, datetime.date(2025, 2, 28)),
    ],
)
def test_add_months_moves_by_calendar_months_clamped_to_month_end(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.django_db
def test_next_review_due_defaults_to_last_reviewed_plus_interval(settings):
    settings.REVIEW_INTERVAL_MONTHS = 12
    article = make_article(last_reviewed=datetime.date(2024, 2, 29))
    article.refresh_from_db()
    assert article.next_review_due == datetime.date(2025, 2, 28)


@pytest.mark.django_db
def test_review_interval_setting_is_honoured(settings):
    settings.REVIEW_INTERVAL_MONTHS = 6
    article = make_article(last_reviewed=datetime.date(2025, 8, 31))
    assert article.next_review_due == datetime.date(2026, 2, 28)


@pytest.mark.django_db
def test_explicit_next_review_due_is_kept():
    due = datetime.date(2025, 5, 1)
    article = make_article(last_reviewed=datetime.date(2025, 1, 1), next_review_due=due)
    article.refresh_from_db()
    assert article.next_review_due == due


@pytest.mark.django_db
def test_no_review_means_no_due_date():
    article = make_article(last_reviewed=None)
    assert article.next_review_due is None
    assert article.review_state() == ReviewState.NEVER


@pytest.mark.django_db
def test_body_html_and_toc_are_rendered_and_stored_on_save():
    article = make_article(body="Intro.\n\n## Coping day to day\n\n### Sleep\n\n<script>x</script>")
    stored = Article.objects.values("body_html", "toc").get(pk=article.pk)
    assert '<h2 id="coping-day-to-day">Coping day to day</h2>' in stored["body_html"]
    assert "<script" not in stored["body_html"]
    assert stored["toc"] == [
        {
            "id": "coping-day-to-day",
            "name": "Coping day to day",
            "children": [{"id": "sleep", "name": "Sleep"}],
        }
    ]


@pytest.mark.django_db
def test_rendered_body_follows_edits_even_with_update_fields():
    article = make_article(body="## Old heading\n")
    article.body = "## New heading\n"
    article.save(update_fields=["body"])
    stored = Article.objects.values("body_html", "toc").get(pk=article.pk)
    assert "New heading" in stored["body_html"]
    assert "Old heading" not in stored["body_html"]
    assert stored["toc"][0]["id"] == "new-heading"


@pytest.mark.django_db
def test_faq_answer_is_rendered_sanitized_on_save():
    faq = make_faq(make_article(), answer="**Yes.** <img src=x onerror=alert(1)>")
    faq.refresh_from_db()
    assert "<strong>Yes.</strong>" in faq.answer_html
    assert "onerror" not in faq.answer_html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("next_due", "state"),
    [
        (TODAY - datetime.timedelta(days=1), ReviewState.OVERDUE),
        (TODAY, ReviewState.DUE_SOON),
        (TODAY + datetime.timedelta(days=30), ReviewState.DUE_SOON),
        (TODAY + datetime.timedelta(days=31), ReviewState.CURRENT),
    ],
)
def test_review_state_and_queryset_methods_agree(settings, next_due, state):
    settings.REVIEW_DUE_SOON_DAYS = 30
    article = make_article(
        last_reviewed=TODAY - datetime.timedelta(days=400), next_review_due=next_due
    )
    assert article.review_state(today=TODAY) == state
    by_state = {
        ReviewState.OVERDUE: Article.objects.overdue(today=TODAY),
        ReviewState.DUE_SOON: Article.objects.due_soon(today=TODAY),
        ReviewState.CURRENT: Article.objects.review_current(today=TODAY),
    }
    for queryset_state, queryset in by_state.items():
        assert queryset.filter(pk=article.pk).exists() == (queryset_state == state)
    assert not Article.objects.never_reviewed().filter(pk=article.pk).exists()


@pytest.mark.django_db
def test_never_reviewed_queryset_and_label():
    article = make_article(last_reviewed=None)
    assert list(Article.objects.never_reviewed()) == [article]
    assert article.get_review_state_display() == "Never reviewed"
    assert article.is_overdue is False


@pytest.mark.django_db
def test_published_excludes_drafts_in_review_archived_and_future():
    now = timezone.now()
    visible = make_article(status=Article.Status.PUBLISHED)
    make_article(status=Article.Status.DRAFT)
    make_article(status=Article.Status.IN_REVIEW)
    make_article(status=Article.Status.ARCHIVED, published_at=now - datetime.timedelta(days=5))
    future = make_article(
        status=Article.Status.PUBLISHED, published_at=now + datetime.timedelta(days=1)
    )
    assert list(Article.objects.published()) == [visible]
    assert visible.is_public and not future.is_public


@pytest.mark.django_db
def test_publishing_without_date_sets_published_at_now():
    before = timezone.now()
    article = make_article(status=Article.Status.DRAFT)
    assert article.published_at is None
    article.status = Article.Status.PUBLISHED
    article.save()
    assert article.published_at >= before
    assert list(Article.objects.published()) == [article]


@pytest.mark.django_db
def test_database_refuses_image_without_alt_text():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(image="articles/photo.png", image_alt="")


@pytest.mark.django_db
def test_database_refuses_next_review_before_last_review():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(
            last_reviewed=datetime.date(2025, 6, 1), next_review_due=datetime.date(2025, 5, 1)
        )


@pytest.mark.django_db
def test_clean_explains_constraint_violations_as_field_errors():
    article = make_article()
    article.image = "articles/photo.png"
    article.image_alt = "  "
    article.last_reviewed = datetime.date(2025, 6, 1)
    article.next_review_due = datetime.date(2025, 5, 1)
    with pytest.raises(ValidationError) as caught:
        article.full_clean()
    assert set(caught.value.message_dict) >= {"image_alt", "next_review_due"}


@pytest.mark.django_db
def test_slug_is_unique():
    make_article(slug="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(slug="same")


@pytest.mark.django_db
def test_related_articles_are_ordered_unique_and_never_self():
    article, first, second = make_article(), make_article(), make_article()
    link_related(article, second, order=2)
    link_related(article, first, order=1)
    assert [link.target for link in article.related_links.all()] == [first, second]
    with pytest.raises(IntegrityError), transaction.atomic():
        link_related(article, first, order=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        link_related(article, article)


@pytest.mark.django_db
def test_faqs_and_references_keep_editor_order():
    article = make_article()
    late = make_faq(article, order=5)
    early = make_faq(article, order=1)
    assert list(article.faqs.all()) == [early, late]
    last = make_reference(article, order=9)
    first = make_reference(article, order=0)
    assert list(article.references.all()) == [first, last]


@pytest.mark.django_db
def test_next_scheduled_change_is_the_earliest_future_publish_or_expiry_of_published_articles():
    now = timezone.now()
    assert Article.objects.next_scheduled_change(now) is None
    make_article(published_at=now - datetime.timedelta(days=1))  # live, no expiry
    soonest_expiry = now + datetime.timedelta(days=3)
    make_article(published_at=now - datetime.timedelta(days=1), expires_at=soonest_expiry)
    make_article(published_at=now + datetime.timedelta(days=5))
    # Drafts and archived articles never go live on their own.
    make_article(status=Article.Status.DRAFT, published_at=now + datetime.timedelta(hours=1))
    make_article(status=Article.Status.ARCHIVED, expires_at=now + datetime.timedelta(hours=1))
    assert Article.objects.next_scheduled_change(now) == soonest_expiry
    scheduled = make_article(published_at=now + datetime.timedelta(days=1))
    assert Article.objects.next_scheduled_change(now) == scheduled.published_at


@pytest.mark.django_db
def test_migration_assigns_each_article_its_current_reviewer():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("articles.migrations.0004_assigned_reviewer")
    reviewer, already = make_contributor(), make_contributor()
    plain = make_article(reviewer=reviewer)
    kept = make_article(reviewer=reviewer, assigned_reviewer=already)
    nobody = make_article(reviewer=None)
    migration.assign_current_reviewers(apps, None)
    for article in (plain, kept, nobody):
        article.refresh_from_db()
    assert plain.assigned_reviewer == reviewer
    assert kept.assigned_reviewer == already
    assert nobody.assigned_reviewer is None
