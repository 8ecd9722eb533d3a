"""Medical review rules: who may vouch for an article, for how long, and what voids it.

Clinically sensitive text
-------------------------
An approved full review vouches for the article's text as it stood. When an
edit afterwards changes *clinically sensitive* text, the review no longer
covers what readers see and the article is flagged "changed since medical
review". Sensitive text is, in the body, the summary and the FAQs:

* every sentence that names a medication from the editable list
  (``MedicationTerm``, managed in the admin), matched as a whole word in any
  letter case;
* every sentence with a dose: a number followed by a unit such as mg, mcg,
  µg, ml, g, IU or units (``DOSE_PATTERN``);
* every section marked as crisis or self-harm content, either a Markdown
  section whose heading contains one of ``settings.SENSITIVE_SECTION_HEADINGS``
  ("Crisis", "Self-harm", "Suicide", ...), up to the next heading of the same
  or a higher level, or any text between ``<!-- sensitive -->`` and
  ``<!-- /sensitive -->`` (HTML comments, invisible to readers).

The passages are normalised (whitespace collapsed) and compared as a multiset
with the snapshot taken at the last approved full review, so rewording an
ordinary sentence, fixing a typo outside those passages or reflowing lines
never voids a review, while changing "50 mg" to "100 mg" always does.
"""

import datetime
import re
from collections import Counter
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from mhsite.dates import add_months

from .models import FAQ, Article, Contributor, MedicationTerm, Review
from .signing import ReviewError, check_signature

DOSE_PATTERN = re.compile(
    r"\b\d+(?:[.,]\d+)?\s*(?:-\s*\d+(?:[.,]\d+)?\s*)?"
    r"(?:mg|mcg|µg|μg|ug|ml|g|kg|iu|units?|mmol|milligrams?|micrograms?|"
    r"millilit(?:er|re)s?|grams?)\b",
    re.IGNORECASE,
)
MARKED_SECTION = re.compile(
    r"<!--\s*sensitive\s*-->(.*?)(?:<!--\s*/sensitive\s*-->|\Z)", re.IGNORECASE | re.DOTALL
)
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\n\s*\n")
MEDICATION_CACHE_KEY = "articles:medication-terms"


def medication_terms() -> list[str]:
    """The editable medication list, cached until a term is added, changed or removed."""
    terms = cache.get(MEDICATION_CACHE_KEY)
    if terms is None:
        terms = list(MedicationTerm.objects.values_list("name", flat=True))
        cache.set(MEDICATION_CACHE_KEY, terms, 60 * 60)
    return terms


@receiver([post_save, post_delete], sender=MedicationTerm)
def _forget_medication_terms(**kwargs) -> None:
    cache.delete(MEDICATION_CACHE_KEY)


def medication_pattern() -> re.Pattern | None:
    terms = sorted(medication_terms(), key=len, reverse=True)
    if not terms:
        return None
    alternatives = "|".join(re.escape(term) for term in terms)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def mentioned_medications(text: str) -> set[str]:
    pattern = medication_pattern()
    if pattern is None or not text:
        return set()
    return {match.group(0).lower() for match in pattern.finditer(text)}


def _normalise(text: str) -> str:
    return " ".join(text.split())


def _is_sensitive_heading(title: str) -> bool:
    words = title.casefold()
    return any(marker.casefold() in words for marker in settings.SENSITIVE_SECTION_HEADINGS)


def marked_sections(markdown_text: str) -> list[str]:
    """The crisis/self-harm sections of a Markdown text (see the module docstring)."""
    sections = [_normalise(match.group(1)) for match in MARKED_SECTION.finditer(markdown_text)]
    current: list[str] | None = None
    current_level = 0
    for line in markdown_text.splitlines():
        heading = HEADING.match(line)
        if heading:
            level = len(heading.group(1))
            if current is not None and level <= current_level:
                sections.append(_normalise("\n".join(current)))
                current = None
            if current is None and _is_sensitive_heading(heading.group(2)):
                current, current_level = [line], level
                continue
        if current is not None:
            current.append(line)
    if current is not None:
        sections.append(_normalise("\n".join(current)))
    return [section for section in sections if section]


def sensitive_passages(texts: Iterable[str]) -> list[str]:
    """Every clinically sensitive passage of the given texts, normalised and sorted."""
    pattern = medication_pattern()
    passages: list[str] = []
    for text in texts:
        if not text:
            continue
        passages.extend(f"section: {section}" for section in marked_sections(text))
        for sentence in SENTENCE_BREAK.split(text):
            sentence = _normalise(sentence)
            if sentence and (
                DOSE_PATTERN.search(sentence) or (pattern and pattern.search(sentence))
            ):
                passages.append(sentence)
    return sorted(passages)


def article_texts(article: Article, faqs: Iterable[tuple[str, str]] | None = None) -> list[str]:
    """The texts a review vouches for; ``faqs`` (question, answer) pairs replace the stored ones."""
    if faqs is None:
        faqs = [(faq.question, faq.answer) for faq in article.faqs.all()] if article.pk else []
    texts = [article.summary, article.body]
    for question, answer in faqs:
        texts.extend([question, answer])
    return texts


def article_sensitive_passages(
    article: Article, faqs: Iterable[tuple[str, str]] | None = None
) -> list[str]:
    return sensitive_passages(article_texts(article, faqs))


def sensitive_changes(article: Article, passages: list[str]) -> tuple[list[str], list[str]]:
    """(added, removed) sensitive passages compared with the last approved full review."""
    if article.reviewed_sensitive_text is None:
        return [], []
    before = Counter(article.reviewed_sensitive_text)
    after = Counter(passages)
    return sorted((after - before).elements()), sorted((before - after).elements())


def would_void_review(article: Article, passages: list[str]) -> bool:
    """True when these passages differ from what the last approved full review vouched for."""
    added, removed = sensitive_changes(article, passages)
    return bool(added or removed)


def refresh_changed_flag(article: Article) -> bool:
    """Recompute "changed since medical review" from the stored text; returns the new value.

    Saved with an UPDATE so that the flag never counts as an edit (it moves
    neither the modified date nor the edit token).
    """
    flagged = would_void_review(article, article_sensitive_passages(article))
    if flagged != article.changed_since_review:
        article.changed_since_review = flagged
        Article.objects.filter(pk=article.pk).update(changed_since_review=flagged)
    return flagged


@receiver(post_save, sender=Article)
def _refresh_flag_after_article_save(sender, instance, raw=False, **kwargs) -> None:
    # Every way of saving (admin, import, shell) gets the same detection.
    # Raw saves (fixtures, reversion's revert before the form is saved) skip it.
    if not raw and instance.reviewed_sensitive_text is not None:
        refresh_changed_flag(instance)


@receiver([post_save, post_delete], sender=FAQ)
def _refresh_flag_after_faq_change(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    article = (
        Article.objects.filter(pk=instance.article_id, reviewed_sensitive_text__isnull=False)
        .only("pk", "summary", "body", "reviewed_sensitive_text", "changed_since_review")
        .first()
    )
    if article is not None:
        refresh_changed_flag(article)


def review_interval_months(article: Article) -> int:
    """The shortest interval among the article's categories, or the site default."""
    intervals = [
        category.review_interval_months
        for category in article.categories.all()
        if category.review_interval_months
    ]
    return min(intervals, default=settings.REVIEW_INTERVAL_MONTHS)


@transaction.atomic
def record_review(
    article: Article,
    *,
    reviewer: Contributor,
    user=None,
    scope: str = Review.Scope.FULL,
    outcome: str = Review.Outcome.APPROVED,
    notes: str = "",
    reviewed_on: datetime.date | None = None,
) -> Review:
    """Record a review; an approved full review also moves the article's review dates.

    ``user`` is who records it: the review must be signed with their own
    contributor profile (see articles/signing.py). Raises ReviewError.
    """
    review = Review(
        article=article,
        reviewer=reviewer,
        scope=scope,
        outcome=outcome,
        notes=notes,
        reviewed_on=reviewed_on or timezone.localdate(),
    )
    return save_review(review, user=user)


@transaction.atomic
def save_review(review: Review, *, user=None) -> Review:
    """Check and save a review built elsewhere (the admin's form), then apply it."""
    if review.reviewed_on > timezone.localdate():
        raise ReviewError("A review cannot be dated in the future.")
    check_signature(review.article, reviewer=review.reviewer, user=user, scope=review.scope)
    review.reviewed_by_user = user
    review.save()
    apply_review(review)
    return review


def apply_review(review: Review) -> None:
    """Let a saved review move its article's review dates, if it is an approved full review.

    The article's last-reviewed date, reviewer and next-review-due date are a
    cache of its latest approved full review (public pages and JSON-LD read
    them); this is the only place that writes its ``reviewer``, which editors
    cannot set (they set ``assigned_reviewer``, who gets the reminders). They
    are written with an UPDATE: recording a review is not an edit, so the
    article's "updated" date does not move. An older review recorded late
    never moves the dates back. An article nobody was assigned to is assigned
    to the reviewer who just vouched for it, so its next review is not orphaned.
    """
    article = review.article
    if not review.vouches_for_article:
        return
    if article.last_reviewed is not None and review.reviewed_on < article.last_reviewed:
        return
    article.last_reviewed = review.reviewed_on
    article.reviewer = review.reviewer
    article.next_review_due = add_months(review.reviewed_on, review_interval_months(article))
    article.reviewed_sensitive_text = article_sensitive_passages(article)
    article.changed_since_review = False
    fields = {
        "last_reviewed": article.last_reviewed,
        "reviewer": review.reviewer,
        "next_review_due": article.next_review_due,
        "reviewed_sensitive_text": article.reviewed_sensitive_text,
        "changed_since_review": False,
    }
    Article.objects.filter(pk=article.pk).update(**fields)
    # Conditional in SQL: the article object in hand may predate an editor's assignment.
    if Article.objects.filter(pk=article.pk, assigned_reviewer__isnull=True).update(
        assigned_reviewer=review.reviewer
    ):
        article.assigned_reviewer = review.reviewer


def latest_full_review(article: Article) -> Review | None:
    return (
        article.reviews.filter(scope=Review.Scope.FULL, outcome=Review.Outcome.APPROVED)
        .select_related("reviewer")
        .first()
    )
