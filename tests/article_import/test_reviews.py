"""What an import records about medical review: the stamp's review and the assigned reviewer."""

import datetime

import pytest

from articles.models import Article, Review
from tests.article_import.helpers import run_import, write


@pytest.mark.django_db
def test_import_records_the_review_behind_the_stamp_once(article_dir):
    run_import(article_dir)
    article = Article.objects.get(slug="coping-with-panic")
    review = Review.objects.get(article=article)
    assert (review.reviewer, review.reviewed_on) == (article.reviewer, datetime.date(2025, 6, 2))
    assert review.vouches_for_article and review.notes == "Imported from panic.md"
    # The stamp is restored as the file gives it, not recomputed from the review.
    assert article.next_review_due == datetime.date(2026, 1, 10)
    run_import(article_dir)
    assert Review.objects.count() == 1
    # A file without a review date or reviewer has no review to record.
    assert not Review.objects.filter(article__slug="later-article").exists()


@pytest.mark.django_db
def test_import_sets_the_assigned_reviewer_apart_from_the_stamps_reviewer(tmp_path):
    write(
        tmp_path / "a.md",
        "---\ntitle: A\nreviewer: Dr. Did Last\nassigned_reviewer: Dr. Does Next\n"
        "last_reviewed: 2025-01-02\n---\nBody.\n",
    )
    _, err, status = run_import(tmp_path)
    assert status == 0, err
    article = Article.objects.get()
    assert article.reviewer.name == "Dr. Did Last"
    assert article.assigned_reviewer.name == "Dr. Does Next"
