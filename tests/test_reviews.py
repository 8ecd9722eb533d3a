"""Review records: only an approved full review moves the article's review dates."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import Article, Review
from articles.reviews import (
    ReviewError,
    latest_full_review,
    record_review,
    review_interval_months,
)
from articles.signing import reviewer_profile
from mhsite.dates import add_months
from tests.factories import make_article, make_category, make_contributor
from tests.review_factories import make_reviewer_user

pytestmark = pytest.mark.django_db


def test_approved_full_review_moves_last_reviewed_reviewer_and_next_due(settings):
    settings.REVIEW_INTERVAL_MONTHS = 12
    article = make_article(last_reviewed=None)
    reviewer = make_contributor()
    today = timezone.localdate()
    record_review(article, reviewer=reviewer)
    article.refresh_from_db()
    assert article.last_reviewed == today
    assert article.reviewer == reviewer
    assert article.next_review_due == add_months(today, 12)


def test_approved_full_review_assigns_its_reviewer_only_to_an_unassigned_article():
    unassigned = make_article(last_reviewed=None)
    assigned_to = make_contributor()
    assigned = make_article(last_reviewed=None, assigned_reviewer=assigned_to)
    reviewer = make_contributor()
    record_review(unassigned, reviewer=reviewer)
    record_review(assigned, reviewer=reviewer)
    unassigned.refresh_from_db()
    assigned.refresh_from_db()
    assert (unassigned.reviewer, unassigned.assigned_reviewer) == (reviewer, reviewer)
    assert (assigned.reviewer, assigned.assigned_reviewer) == (reviewer, assigned_to)


def test_a_stale_article_object_never_undoes_an_assignment():
    article = make_article(last_reviewed=None)
    assigned_to = make_contributor()
    Article.objects.filter(pk=article.pk).update(assigned_reviewer=assigned_to)
    record_review(article, reviewer=make_contributor())  # the object still says "nobody"
    article.refresh_from_db()
    assert article.assigned_reviewer == assigned_to


@pytest.mark.parametrize(
    "scope, outcome",
    [
        (Review.Scope.PARTIAL, Review.Outcome.APPROVED),
        (Review.Scope.COPY_EDIT, Review.Outcome.APPROVED),
        (Review.Scope.FULL, Review.Outcome.CHANGES_REQUESTED),
    ],
)
def test_other_reviews_are_recorded_but_move_nothing(scope, outcome):
    article = make_article()
    before = (article.last_reviewed, article.reviewer_id, article.next_review_due)
    record_review(article, reviewer=make_contributor(), scope=scope, outcome=outcome)
    article.refresh_from_db()
    assert (article.last_reviewed, article.reviewer_id, article.next_review_due) == before
    assert article.reviews.count() == 1


def test_recording_a_review_does_not_move_the_updated_date():
    article = make_article()
    modified = article.modified_at
    record_review(article, reviewer=make_contributor())
    article.refresh_from_db()
    assert article.modified_at == modified


def test_ordinary_edit_moves_only_the_updated_date():
    article = make_article()
    record_review(article, reviewer=article.reviewer)
    article.refresh_from_db()
    before = (article.last_reviewed, article.next_review_due, article.modified_at)
    article.title = "A clearer title"
    article.save()
    article.refresh_from_db()
    assert (article.last_reviewed, article.next_review_due) == before[:2]
    assert article.modified_at > before[2]


def test_interval_is_the_shortest_of_the_categories_or_the_site_default(settings):
    settings.REVIEW_INTERVAL_MONTHS = 12
    medication = make_category(review_interval_months=6)
    general = make_category()
    article = make_article(categories=[general])
    assert review_interval_months(article) == 12
    article.categories.add(medication, make_category(review_interval_months=9))
    assert review_interval_months(article) == 6
    record_review(article, reviewer=make_contributor())
    article.refresh_from_db()
    assert article.next_review_due == add_months(timezone.localdate(), 6)


def test_a_late_recorded_older_review_never_moves_dates_back():
    article = make_article(last_reviewed=None)
    reviewer = make_contributor()
    record_review(article, reviewer=reviewer)
    record_review(
        article,
        reviewer=make_contributor(),
        reviewed_on=timezone.localdate() - datetime.timedelta(days=40),
    )
    article.refresh_from_db()
    assert article.last_reviewed == timezone.localdate()
    assert article.reviewer == reviewer
    assert latest_full_review(article).reviewer == reviewer


def test_a_review_cannot_be_dated_in_the_future():
    with pytest.raises(ReviewError):
        record_review(
            make_article(),
            reviewer=make_contributor(),
            reviewed_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert not Review.objects.exists()


def test_reviewer_profile_needs_a_linked_contributor_with_credentials(django_user_model):
    user, contributor = make_reviewer_user()
    assert reviewer_profile(user) == contributor
    contributor.credentials = ""
    contributor.save()
    user.refresh_from_db()
    with pytest.raises(ReviewError, match="no credentials"):
        reviewer_profile(user)
    lonely = django_user_model.objects.create_user("lonely", password="x")
    with pytest.raises(ReviewError, match="Medical reviewer role"):
        reviewer_profile(lonely)
    lonely.groups.add(Group.objects.get(name="Medical reviewer"))
    with pytest.raises(ReviewError, match="not linked"):
        reviewer_profile(lonely)


def test_reviewer_records_a_review_in_the_admin_signed_with_their_profile(client):
    user, contributor = make_reviewer_user()
    article = make_article(last_reviewed=None, status=Article.Status.IN_REVIEW)
    client.force_login(user)
    add_url = "/admin/articles/review/add/"
    assert client.get(f"{add_url}?article={article.pk}").status_code == 200
    response = client.post(
        add_url,
        {
            "article": article.pk,
            "reviewed_on": timezone.localdate().isoformat(),
            "scope": Review.Scope.FULL,
            "outcome": Review.Outcome.APPROVED,
            "notes": "Checked doses against the current label.",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    review = Review.objects.get()
    assert (review.reviewer, review.reviewed_by_user) == (contributor, user)
    article.refresh_from_db()
    assert article.last_reviewed == timezone.localdate()
    assert article.reviewer == contributor


def test_review_form_refuses_a_user_without_a_contributor_profile(client):
    from tests.review_factories import make_role_user

    user = make_role_user("Medical reviewer")
    article = make_article(last_reviewed=None)
    client.force_login(user)
    response = client.post(
        "/admin/articles/review/add/",
        {
            "article": article.pk,
            "reviewed_on": timezone.localdate().isoformat(),
            "scope": Review.Scope.FULL,
            "outcome": Review.Outcome.APPROVED,
        },
    )
    assert response.status_code == 200
    assert "not linked to a contributor profile" in response.content.decode()
    assert not Review.objects.exists()


def test_reviews_cannot_be_edited_or_deleted_in_the_admin(admin_client):
    article = make_article()
    review = record_review(article, reviewer=make_contributor())
    change_url = f"/admin/articles/review/{review.pk}/change/"
    response = admin_client.post(change_url, {"notes": "rewritten"})
    review.refresh_from_db()
    assert review.notes == ""
    assert admin_client.post(f"/admin/articles/review/{review.pk}/delete/").status_code == 403
    assert response.status_code in (302, 403)


def test_public_stamp_and_json_ld_follow_the_latest_approved_full_review(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    from tests.review_factories import make_reviewed_article

    reviewer = make_contributor(name="Dr. Noor Example", credentials="MD, psychiatrist")
    article = make_reviewed_article(reviewer=reviewer)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Medically reviewed by" in page and "Dr. Noor Example, MD, psychiatrist" in page
    assert '"lastReviewed"' in page and '"reviewedBy"' in page


def test_public_stamp_says_not_yet_re_reviewed_after_a_sensitive_change(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    from articles.reviews import refresh_changed_flag
    from tests.review_factories import make_reviewed_article

    article = make_reviewed_article()
    article.body = article.body.replace("50 mg", "100 mg")
    article.save()
    refresh_changed_flag(article)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "not yet re-reviewed" in page
    assert "Medically reviewed by" not in page
    assert '"reviewedBy"' not in page and '"lastReviewed"' not in page


def test_article_page_in_the_admin_shows_review_history_and_the_changed_flag(admin_client):
    from articles.reviews import refresh_changed_flag
    from tests.review_factories import make_reviewed_article

    article = make_reviewed_article()
    record_review(
        article,
        reviewer=make_contributor(),
        scope=Review.Scope.COPY_EDIT,
        notes="Tidied the commas.",
    )
    article.body = article.body.replace("50 mg", "75 mg")
    article.save()
    refresh_changed_flag(article)
    page = admin_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "medical review history" in page.lower()
    assert "Tidied the commas." in page and "Full medical review" in page
    assert "Changed since medical review." in page
    assert "The usual starting dose is 75 mg a day." in page  # what changed
    assert "Record a medical review" in page


def test_public_page_shows_the_updated_date_separately_from_the_review_stamp(client, settings):
    import datetime as dt

    settings.PAGE_CACHE_SECONDS = 0
    last_week = timezone.now() - dt.timedelta(days=7)
    article = make_article(published_at=last_week)
    Article.objects.filter(pk=article.pk).update(modified_at=last_week)
    article.refresh_from_db()
    record_review(article, reviewer=article.reviewer)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Updated" not in page  # recording a review is not an edit
    article.title = "A plainer title"
    article.last_substantive_update = timezone.localdate()  # what updates.py sets
    article.save()
    page = client.get(article.get_absolute_url()).content.decode()
    today = timezone.localdate()
    assert f'Updated <time datetime="{today.isoformat()}">' in page
    assert f'Last reviewed <time datetime="{today.isoformat()}">' in page
