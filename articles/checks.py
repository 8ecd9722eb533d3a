"""Editorial content checks: warnings on the article change page and list.

Checks never block saving a draft. Publishing is blocked by the checks whose
codes are listed in ``settings.BLOCKING_CONTENT_CHECKS``; the others warn.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils.html import strip_tags
from textstat.textstat import textstatistics

from mhsite.markdown import render_article_body

from .reviews import mentioned_medications

MISSING_ALT_TEXT = "missing_alt_text"
MISSING_IMAGE_CREDIT = "missing_image_credit"
HEADING_SKIP = "heading_skip"
MEDICATION_WITHOUT_REFERENCES = "medication_without_references"
SUMMARY_TOO_LONG = "summary_too_long"
READING_LEVEL = "reading_level"
EMPTY_FAQ_ANSWER = "empty_faq_answer"

ALL_CHECKS = {
    MISSING_ALT_TEXT: "Missing alt text",
    MISSING_IMAGE_CREDIT: "Missing image credit",
    HEADING_SKIP: "Heading levels skip",
    MEDICATION_WITHOUT_REFERENCES: "Medication mentioned without references",
    SUMMARY_TOO_LONG: "Summary too long",
    READING_LEVEL: "Reading level above target",
    EMPTY_FAQ_ANSWER: "Empty FAQ answer",
}

IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
ALT_ATTRIBUTE = re.compile(r"""\balt\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
HEADING_TAG = re.compile(r"<h([1-6])\b", re.IGNORECASE)

# textstat's plain "en" counts syllables with NLTK's CMU dictionary, which it
# downloads at run time (no network in production, nor in CI). "en-US" makes
# it use pyphen's bundled en_US hyphenation dictionary instead: same formula,
# nothing fetched. A private instance leaves textstat's global language alone.
_readability = textstatistics()
_readability.set_lang("en-US")


@dataclass(frozen=True)
class CheckResult:
    code: str
    message: str

    @property
    def label(self) -> str:
        return ALL_CHECKS[self.code]

    @property
    def blocks_publishing(self) -> bool:
        return self.code in settings.BLOCKING_CONTENT_CHECKS


def _images_without_alt(html: str) -> int:
    missing = 0
    for tag in IMG_TAG.findall(html):
        alt = ALT_ATTRIBUTE.search(tag)
        if alt is None or not alt.group(2).strip():
            missing += 1
    return missing


def _heading_skips(html: str) -> list[tuple[int, int]]:
    # The page title is the h1, so the body's first heading should be an h2.
    skips, previous = [], 1
    for level in (int(found) for found in HEADING_TAG.findall(html)):
        if level > previous + 1:
            skips.append((previous, level))
        previous = level
    return skips


@dataclass(frozen=True)
class _Content:
    """What the checks read: the article, and its FAQs, references and HTML as judged."""

    article: object
    faqs: list[tuple[str, str]]
    reference_count: int
    body_html: str


def run_checks(
    article,
    *,
    faqs: Iterable[tuple[str, str]] | None = None,
    reference_count: int | None = None,
    body_html: str | None = None,
) -> list[CheckResult]:
    """The content checks for an article (saved or not).

    ``faqs`` (question, answer pairs) and ``reference_count`` let a form check
    the values being submitted; by default the stored ones are used (a list
    page should prefetch ``faqs`` and annotate or prefetch ``references``).
    """
    if faqs is None:
        faqs = [(faq.question, faq.answer) for faq in article.faqs.all()] if article.pk else []
    if reference_count is None:
        reference_count = len(article.references.all()) if article.pk else 0
    if body_html is None:
        body_html = article.body_html or render_article_body(article.body).html
    content = _Content(article, list(faqs), reference_count, body_html)
    results = (check(content) for check in _CHECKS)
    return [result for result in results if result is not None]


def _missing_alt_text(content: _Content) -> CheckResult | None:
    article = content.article
    missing = _images_without_alt(content.body_html)
    if article.image and not article.image_alt.strip():
        missing += 1
    if missing:
        return CheckResult(
            MISSING_ALT_TEXT,
            f"{missing} image(s) without alt text. Describe each image for readers "
            "who cannot see it.",
        )
    return None


def _missing_image_credit(content: _Content) -> CheckResult | None:
    article = content.article
    if article.image and not article.image_credit.strip():
        return CheckResult(MISSING_IMAGE_CREDIT, "The hero image has no credit (who made it).")
    return None


def _heading_skip(content: _Content) -> CheckResult | None:
    skips = _heading_skips(content.body_html)
    if not skips:
        return None
    described = ", ".join(f"h{before} → h{after}" for before, after in skips)
    return CheckResult(
        HEADING_SKIP,
        f"Heading levels skip ({described}). Use ## for sections and ### inside them.",
    )


def _medication_without_references(content: _Content) -> CheckResult | None:
    article = content.article
    texts = [article.summary, article.body, *(answer for _question, answer in content.faqs)]
    medications = set().union(*(mentioned_medications(text) for text in texts))
    if medications and not content.reference_count:
        return CheckResult(
            MEDICATION_WITHOUT_REFERENCES,
            f"Mentions {', '.join(sorted(medications))} but lists no references.",
        )
    return None


def _summary_too_long(content: _Content) -> CheckResult | None:
    length = len(content.article.summary)
    if length > settings.SUMMARY_MAX_CHARS:
        return CheckResult(
            SUMMARY_TOO_LONG,
            f"The summary has {length} characters; search results show "
            f"about {settings.SUMMARY_MAX_CHARS}.",
        )
    return None


def _reading_level(content: _Content) -> CheckResult | None:
    plain_text = strip_tags(content.body_html).strip()
    if len(plain_text.split()) < 30:
        return None
    grade = _readability.flesch_kincaid_grade(plain_text)
    if grade > settings.READING_GRADE_TARGET:
        return CheckResult(
            READING_LEVEL,
            f"Reading level is grade {grade:.1f} (target: grade "
            f"{settings.READING_GRADE_TARGET} or below). Try shorter sentences "
            "and plainer words.",
        )
    return None


def _empty_faq_answer(content: _Content) -> CheckResult | None:
    empty = [question for question, answer in content.faqs if not (answer or "").strip()]
    if empty:
        return CheckResult(
            EMPTY_FAQ_ANSWER, f"{len(empty)} FAQ(s) without an answer: {'; '.join(empty)}"
        )
    return None


# In the order editors see the warnings.
_CHECKS = (
    _missing_alt_text,
    _missing_image_credit,
    _heading_skip,
    _medication_without_references,
    _summary_too_long,
    _reading_level,
    _empty_faq_answer,
)


def run_checks_on_text(
    article,
    *,
    faqs: Iterable[tuple[str, str]] | None = None,
    reference_count: int | None = None,
) -> list[CheckResult]:
    """The checks on the text being saved, rendered now, never on the stored ``body_html``.

    A form or service deciding whether a save may publish must judge the
    submitted body: the stored HTML is the previous save's.
    """
    body_html = render_article_body(article.body).html
    return run_checks(article, faqs=faqs, reference_count=reference_count, body_html=body_html)


def blocking(results: Iterable[CheckResult]) -> list[CheckResult]:
    return [result for result in results if result.blocks_publishing]
