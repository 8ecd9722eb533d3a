"""Publishing rules, shared by the article form and the admin's publish action.

An article may be published when:

* it has an approved full medical review that is not overdue
  (``settings.REQUIRE_REVIEW_TO_PUBLISH``, on by default);
* its clinically sensitive text has not changed since that review
  (see ``articles.reviews``);
* none of the content checks listed in ``settings.BLOCKING_CONTENT_CHECKS``
  fails.

An editor with the ``override_review_rules`` permission may publish despite
the first two rules by giving a reason, which is recorded (``PublishOverride``)
and logged. Blocking content checks cannot be overridden: they are fixed in
the text. The rules live here, not in ``Article.save``, so code that builds
data directly (tests, fixtures, migrations) is not second-guessed.

Imports (``import_articles``, articles/importing/) do not apply these rules:
they are the restore path, and set status, review dates and the stamp's
reviewer exactly as the file gives them, so that an export followed by an
import reproduces every article.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone

from . import checks
from .models import Article, PublishOverride
from .reviews import would_void_review


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    overridable: bool


def review_problems(
    article: Article, *, passages: list[str] | None = None, today: datetime.date | None = None
) -> list[Problem]:
    """The medical-review rules this article breaks. ``passages``: sensitive text being saved."""
    today = today or timezone.localdate()
    problems = []
    if settings.REQUIRE_REVIEW_TO_PUBLISH:
        if not article.last_reviewed:
            problems.append(
                Problem("no_review", "It has no approved full medical review yet.", True)
            )
        elif article.next_review_due and article.next_review_due < today:
            due = formats.date_format(article.next_review_due)
            problems.append(
                Problem("review_overdue", f"Its medical review was due on {due}.", True)
            )
    flagged = (
        would_void_review(article, passages)
        if passages is not None
        else article.changed_since_review
    )
    if flagged:
        problems.append(
            Problem(
                "changed_since_review",
                "Clinically sensitive text changed since the last medical review; "
                "it needs a new full review.",
                True,
            )
        )
    return problems


def check_problems(check_results: Iterable[checks.CheckResult]) -> list[Problem]:
    return [
        Problem(f"check:{result.code}", f"{result.label}: {result.message}", False)
        for result in checks.blocking(check_results)
    ]


def publishing_problems(
    article: Article,
    *,
    passages: list[str] | None = None,
    check_results: Iterable[checks.CheckResult] | None = None,
) -> list[Problem]:
    if check_results is None:
        check_results = checks.run_checks_on_text(article)
    return review_problems(article, passages=passages) + check_problems(check_results)


def describe(problems: Iterable[Problem]) -> str:
    return " ".join(problem.message for problem in problems)


def schedule_errors(
    published_at: datetime.datetime | None,
    expires_at: datetime.datetime | None,
    *,
    expiry_changed: bool,
    now: datetime.datetime | None = None,
) -> dict[str, str]:
    """Field errors for an impossible publish/expiry combination (empty when fine)."""
    now = now or timezone.now()
    errors = {}
    if expires_at is not None:
        if published_at is not None and expires_at <= published_at:
            errors["expires_at"] = "The expiry date must be after the publish date."
        elif expiry_changed and expires_at <= now:
            errors["expires_at"] = (
                "The expiry date is in the past: the article would be hidden at once. "
                "Choose a future date, or leave it empty."
            )
    return errors


def record_override(article: Article, user, reason: str, problems: Iterable[Problem]):
    return PublishOverride.objects.create(
        article=article,
        user=user,
        reason=reason,
        overridden_rules=describe(problems),
    )


def publish(article: Article, user=None) -> list[Problem]:
    """Publish one article if the rules allow; returns the problems that prevented it.

    For the admin's bulk "publish" action: no override is possible here (an
    override needs a reason, given on the article's own page).
    """
    problems = publishing_problems(article)
    published_at = article.published_at or timezone.now()
    schedule = schedule_errors(published_at, article.expires_at, expiry_changed=True)
    problems += [Problem("schedule", message, False) for message in schedule.values()]
    if problems:
        return problems
    article.status = Article.Status.PUBLISHED
    article.published_at = published_at
    with transaction.atomic():
        article.save()
    return []
