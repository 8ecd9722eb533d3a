"""Content checks: warnings that never block drafts; the listed ones block publishing."""

import pytest

from articles import checks
from articles.models import Article
from tests.factories import make_article, make_faq, make_reference

pytestmark = pytest.mark.django_db

PLAIN = "Short words help.\n\n## Sleep\n\nSleep is good for you.\n"


def _codes(article, **kwargs):
    return {result.code for result in checks.run_checks(article, **kwargs)}


def test_a_clean_article_passes_every_check():
    assert _codes(make_article(body=PLAIN)) == set()


def test_markdown_image_without_alt_text():
    article = make_article(body=PLAIN + "\n![](/media/a.png)\n")
    assert checks.MISSING_ALT_TEXT in _codes(article)
    article.body = PLAIN + "\n![A calm lake](/media/a.png)\n"
    article.save()
    assert checks.MISSING_ALT_TEXT not in _codes(article)


def test_hero_image_without_credit():
    article = make_article(body=PLAIN, image="articles/a.png", image_alt="A lake")
    assert checks.MISSING_IMAGE_CREDIT in _codes(article)
    article.image_credit = "Example Photographer"
    assert checks.MISSING_IMAGE_CREDIT not in _codes(article)


def test_heading_levels_that_skip():
    article = make_article(body="Intro.\n\n#### Too deep\n\nText.\n")
    (result,) = [r for r in checks.run_checks(article) if r.code == checks.HEADING_SKIP]
    assert "h1 → h4" in result.message
    article.body = "Intro.\n\n## Section\n\n### Sub\n\nText.\n\n## Next\n\nMore.\n"
    article.save()
    assert checks.HEADING_SKIP not in _codes(article)


def test_medication_mentioned_without_references():
    article = make_article(body=PLAIN + "\nSome people take sertraline.\n")
    assert checks.MEDICATION_WITHOUT_REFERENCES in _codes(article)
    make_reference(article)
    article = Article.objects.get(pk=article.pk)
    assert checks.MEDICATION_WITHOUT_REFERENCES not in _codes(article)


def test_summary_longer_than_160_characters():
    assert checks.SUMMARY_TOO_LONG in _codes(make_article(body=PLAIN, summary="x" * 161))
    assert checks.SUMMARY_TOO_LONG not in _codes(make_article(body=PLAIN, summary="x" * 160))


def test_reading_level_above_target(settings):
    settings.READING_GRADE_TARGET = 9
    dense = (
        "Pharmacological interventions demonstrating statistically significant "
        "amelioration of depressive symptomatology necessitate comprehensive "
        "individualized consideration of contraindications, interactions, "
        "discontinuation phenomena and longitudinal monitoring requirements "
        "throughout the therapeutic relationship with multidisciplinary practitioners. "
    ) * 3
    simple = "You are not alone. Talk to a friend. Rest when you can. Ask for help. " * 5
    assert checks.READING_LEVEL in _codes(make_article(body=dense))
    assert checks.READING_LEVEL not in _codes(make_article(body=simple))


def test_empty_faq_answers():
    article = make_article(body=PLAIN)
    make_faq(article, question="Does it help?", answer="Yes, for many people.")
    assert checks.EMPTY_FAQ_ANSWER not in _codes(article)
    make_faq(article, question="How long?", answer="   ")
    assert checks.EMPTY_FAQ_ANSWER in _codes(article)


def test_only_the_configured_checks_block_publishing(settings):
    article = make_article(body=PLAIN, summary="x" * 200)
    settings.BLOCKING_CONTENT_CHECKS = []
    assert checks.blocking(checks.run_checks(article)) == []
    settings.BLOCKING_CONTENT_CHECKS = [checks.SUMMARY_TOO_LONG]
    assert [r.code for r in checks.blocking(checks.run_checks(article))] == ["summary_too_long"]


def test_checks_panel_and_list_column_in_the_admin(admin_client):
    article = make_article(body=PLAIN, summary="x" * 200, status=Article.Status.DRAFT)
    change = admin_client.get(f"/admin/articles/article/{article.pk}/change/")
    assert "Summary too long" in change.content.decode()
    changelist = admin_client.get("/admin/articles/article/")
    assert "1 warning(s)" in changelist.content.decode()


def test_a_draft_with_failing_checks_still_saves(admin_client):
    from tests.test_publishing import _article_form_data

    article = make_article(body=PLAIN, status=Article.Status.DRAFT)
    data = _article_form_data(article, summary="y" * 250, body="#### Skips\n\n![](/media/x.png)")
    response = admin_client.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 302


def test_changelist_filters_articles_changed_since_review(admin_client):
    from articles.reviews import refresh_changed_flag
    from tests.review_factories import make_reviewed_article

    flagged = make_reviewed_article(title="Flagged")
    flagged.body = flagged.body.replace("50 mg", "70 mg")
    flagged.save()
    refresh_changed_flag(flagged)
    make_reviewed_article(title="Unchanged", slug="unchanged")
    response = admin_client.get("/admin/articles/article/", {"changed_since_review__exact": "1"})
    assert [a.title for a in response.context["cl"].result_list] == ["Flagged"]
