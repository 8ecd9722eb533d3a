"""The article file format: front matter and the FAQ section."""

import datetime
import textwrap

import pytest

from articles.frontmatter import FormatError, parse_article, split_faqs
from tests.article_import.helpers import FULL_ARTICLE


@pytest.mark.parametrize(
    "heading",
    [
        "## FAQs",
        "## faqs",
        "## Frequently asked questions",
        "## FREQUENTLY ASKED QUESTIONS",
        "## FAQs ##",
    ],
)
def test_faq_heading_is_recognised_in_any_case(heading):
    body, faqs = split_faqs(
        f"Intro.\n\n## Section\n\nText.\n\n{heading}\n\n### Q1?\n\nA1.\n\n### Q2?\n\nA2\n\nmore\n"
    )
    assert body == "Intro.\n\n## Section\n\nText."
    assert [(faq.question, faq.answer) for faq in faqs] == [("Q1?", "A1."), ("Q2?", "A2\n\nmore")]


def test_faq_headings_inside_code_fences_are_body_text():
    text = "Intro.\n\n```\n## FAQs\n### not a question\n```\n\n## FAQs\n\n### Real?\n\nYes.\n"
    body, faqs = split_faqs(text)
    assert "### not a question" in body
    assert [faq.question for faq in faqs] == ["Real?"]


def test_article_without_faq_section_keeps_all_body_and_no_faqs():
    body, faqs = split_faqs("Intro.\n\n## FAQ-like title\n\n### Sub\n\nText.\n")
    assert faqs == []
    assert body.endswith("Text.")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("## FAQs\n\nStray text.\n\n### Q?\n\nA.", "would be lost"),
        ("## FAQs\n\n### Q?\n\nA.\n\n## Later section\n\nText.", "only ### questions"),
        ("## FAQs\n\n### Q?\n\n### Q2?\n\nA.", "has no answer"),
    ],
)
def test_faq_section_that_would_lose_text_is_an_error(text, reason):
    with pytest.raises(FormatError, match=reason):
        split_faqs(text)


def test_parse_reads_every_front_matter_key():
    document = parse_article(textwrap.dedent(FULL_ARTICLE).lstrip())
    assert document.title == "Coping with panic attacks"
    assert document.slug == "coping-with-panic"
    assert document.status == "published"
    assert document.author_credentials == "MD, psychiatrist"
    assert document.categories == ["Anxiety", "Coping skills"]
    assert document.published == datetime.datetime(2025, 1, 15, 9, 30, tzinfo=datetime.UTC)
    assert document.last_reviewed == datetime.date(2025, 6, 2)
    assert document.related == ["later-article"]
    assert [(r.title, r.url) for r in document.references][1] == ("A reference without a link.", "")
    assert [faq.question for faq in document.faqs] == ["Is it dangerous?", "Can it be treated?"]
    assert "## Frequently" not in document.body


def test_slug_defaults_to_slugified_title_and_status_to_draft():
    document = parse_article("---\ntitle: Sleep & Mood!\n---\nBody.\n")
    assert (document.slug, document.status, document.body) == ("sleep-mood", "draft", "Body.")
