"""Reverting an article to an older version (django-reversion) is an ordinary save.

Reversion's revert writes the old version's every field back (a raw save)
before the admin shows the form: status, publish dates and the review stamp
included. Left alone, a writer reverting a published article to an old draft
version took it off the site and wiped its reviewer and review dates. So:

* who may not change the article as it stands may not revert it (a writer
  and a published or archived article);
* the stamp (reviewer, review dates, the text the last review vouched for),
  the assigned reviewer and the publishing state (status, publish and expiry
  dates) are the article's *current* ones: a revert restores the text, FAQs,
  references and links, never the review record or the publishing state;
* the form then applies the rules of an ordinary save by that user, comparing
  the reverted text with the text as it stood before the revert, so bringing
  back an old dose on a published article needs a new review (or an editor's
  recorded override), like typing it would.
"""

from dataclasses import dataclass

from .models import Article
from .reviews import article_sensitive_passages

LOCKED_STATUSES = {Article.Status.PUBLISHED, Article.Status.ARCHIVED}
KEPT_FIELDS = (
    "reviewer",
    "last_reviewed",
    "next_review_due",
    "reviewed_sensitive_text",
    "changed_since_review",
    "assigned_reviewer",
    "status",
    "published_at",
    "expires_at",
)


@dataclass(frozen=True)
class BeforeRevert:
    pk: int
    values: dict
    passages: list[str]


def refusal(article: Article, user) -> str | None:
    """Why ``user`` may not revert ``article`` as it stands now, or None."""
    if article.status in LOCKED_STATUSES and not user.has_perm("articles.publish_article"):
        return (
            f"“{article}” is {article.get_status_display().lower()}: only editors can "
            "change it, and reverting to an older version is a change. Nothing was reverted."
        )
    return None


def snapshot(article: Article) -> BeforeRevert:
    """What a revert must keep, taken before reversion overwrites the row."""
    values = {}
    for name in KEPT_FIELDS:
        attname = Article._meta.get_field(name).attname
        values[attname] = getattr(article, attname)
    return BeforeRevert(article.pk, values, article_sensitive_passages(article))


def keep_current_state(reverted: Article, before: BeforeRevert) -> None:
    """Put the kept fields back on the reverted article the form will save."""
    if reverted.pk != before.pk:
        return
    for attname, value in before.values.items():
        setattr(reverted, attname, value)
    # The form compares the submitted text with this, not with the reverted row.
    reverted.passages_before_revert = before.passages
