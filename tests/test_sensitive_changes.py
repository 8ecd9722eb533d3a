"""Which edits void a medical review ("changed since medical review"), and which do not."""

import pytest

from articles.models import MedicationTerm
from articles.reviews import (
    article_sensitive_passages,
    marked_sections,
    refresh_changed_flag,
    sensitive_passages,
)
from tests.factories import make_faq
from tests.review_factories import make_reviewed_article

pytestmark = pytest.mark.django_db

BODY = (
    "Many people feel better with talking therapy.\n\n"
    "## Medication\n\n"
    "Some people take sertraline. The usual starting dose is 50 mg a day.\n\n"
    "## Looking after yourself\n\n"
    "Sleep and daylight help.\n"
)


def _edit(article, **fields):
    for name, value in fields.items():
        setattr(article, name, value)
    article.save()
    return refresh_changed_flag(article)


def test_seeded_medication_list_is_editable_data():
    assert MedicationTerm.objects.filter(name__iexact="sertraline").exists()
    assert MedicationTerm.objects.count() > 50


@pytest.mark.parametrize(
    "old, new",
    [
        ("Some people take sertraline.", "Some people take fluoxetine."),
        ("The usual starting dose is 50 mg a day.", "The usual starting dose is 100 mg a day."),
        ("The usual starting dose is 50 mg a day.", "The usual starting dose is 50 mcg a day."),
    ],
    ids=["medication-name", "dose-number", "dose-unit"],
)
def test_changing_medication_or_dose_flags_the_article(old, new):
    article = make_reviewed_article(body=BODY)
    assert not article.changed_since_review
    assert _edit(article, body=BODY.replace(old, new)) is True
    article.refresh_from_db()
    assert article.changed_since_review


def test_adding_a_new_sentence_with_a_dose_flags_the_article():
    article = make_reviewed_article(body=BODY)
    assert _edit(article, body=BODY + "\nA child might take 2.5 ml of syrup.\n")


def test_a_medication_added_by_editors_to_the_list_becomes_sensitive():
    article = make_reviewed_article(body=BODY)
    assert not _edit(article, body=BODY + "\nSome try examplozine.\n")
    MedicationTerm.objects.create(name="Examplozine")
    assert _edit(article, body=BODY + "\nSome try examplozine twice.\n")


def test_editing_a_crisis_section_flags_the_article():
    body = BODY + "\n## If you are in crisis\n\nCall your local emergency number.\n"
    article = make_reviewed_article(body=body)
    edited = body.replace("Call your local emergency number.", "Text a friend.")
    assert _edit(article, body=edited)


def test_editing_inside_sensitive_comment_markers_flags_the_article():
    body = BODY + "\n<!-- sensitive -->\nStay with someone you trust.\n<!-- /sensitive -->\n"
    article = make_reviewed_article(body=body)
    assert _edit(article, body=body.replace("someone you trust", "anyone"))


def test_changing_a_dose_in_an_faq_answer_flags_the_article():
    article = make_reviewed_article(body=BODY)
    faq = make_faq(article, question="How much?", answer="Usually 50 mg.")
    refresh_changed_flag(article)
    # The FAQ was added after the review: already a sensitive change.
    assert article.changed_since_review
    article = make_reviewed_article(body=BODY, slug="with-faq")
    faq = make_faq(article, question="How long?", answer="A few weeks.")
    assert not refresh_changed_flag(article)
    faq.answer = "Take 20 mg for a few weeks."
    faq.save()
    assert refresh_changed_flag(article)


@pytest.mark.parametrize(
    "old, new",
    [
        ("Sleep and daylight help.", "Sleep, movement and daylight help."),
        ("Many people feel better", "Lots of people feel better"),
        ("## Looking after yourself", "## Caring for yourself"),
        ("Some people take sertraline.", "Some  people\ntake sertraline."),
    ],
    ids=["ordinary-sentence", "intro-wording", "ordinary-heading", "whitespace-only"],
)
def test_ordinary_edits_do_not_flag_the_article(old, new):
    article = make_reviewed_article(body=BODY)
    assert _edit(article, body=BODY.replace(old, new), title="A new title") is False
    article.refresh_from_db()
    assert not article.changed_since_review


def test_numbers_without_a_dose_unit_are_not_sensitive():
    assert sensitive_passages(["About 1 in 5 adults have 2 good days a week."]) == []
    assert sensitive_passages(["Take 10 mg."]) == ["Take 10 mg."]
    assert sensitive_passages(["Mix 5ml with water."]) == ["Mix 5ml with water."]


def test_a_crisis_section_ends_at_the_next_heading_of_the_same_level():
    text = "## Self-harm\n\nReach out.\n\n### Tonight\n\nStay safe.\n\n## Sleep\n\nRest."
    (section,) = marked_sections(text)
    assert "Stay safe." in section and "Rest." not in section


def test_a_new_full_review_clears_the_flag():
    from articles.reviews import record_review

    article = make_reviewed_article(body=BODY)
    _edit(article, body=BODY.replace("50 mg", "75 mg"))
    assert article.changed_since_review
    record_review(article, reviewer=article.reviewer)
    article.refresh_from_db()
    assert not article.changed_since_review
    assert "The usual starting dose is 75 mg a day." in article_sensitive_passages(article)


def test_detection_runs_on_every_save_path_not_only_the_admin():
    article = make_reviewed_article(body=BODY)
    article.body = BODY.replace("50 mg", "60 mg")
    article.save()  # an import or a shell script saves like this
    article.refresh_from_db()
    assert article.changed_since_review
    article = make_reviewed_article(body=BODY, slug="faq-path")
    faq = make_faq(article, question="Dose?", answer="Ask your prescriber.")
    article.refresh_from_db()
    assert not article.changed_since_review
    faq.answer = "Usually 25 mg."
    faq.save()
    article.refresh_from_db()
    assert article.changed_since_review
    faq.delete()
    article.refresh_from_db()
    assert not article.changed_since_review


def test_articles_never_reviewed_in_the_system_are_not_flagged_by_saves():
    from tests.factories import make_article

    article = make_article(body=BODY)  # last_reviewed set directly, no review record
    article.body = BODY.replace("50 mg", "60 mg")
    article.save()
    article.refresh_from_db()
    assert not article.changed_since_review


def test_re_importing_a_changed_dose_flags_a_reviewed_article(tmp_path):
    from io import StringIO

    from django.core.management import call_command

    article = make_reviewed_article(body=BODY, slug="imported", title="Imported")
    source = tmp_path / "imported.md"
    source.write_text(
        "---\n"
        "title: Imported\n"
        "slug: imported\n"
        f"summary: {article.summary}\n"
        "status: published\n"
        f"last_reviewed: {article.last_reviewed.isoformat()}\n"
        "---\n" + BODY.replace("50 mg", "500 mg"),
        encoding="utf-8",
    )
    call_command("import_articles", str(source), stdout=StringIO(), stderr=StringIO())
    article.refresh_from_db()
    assert "500 mg" in article.body
    assert article.changed_since_review
