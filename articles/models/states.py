"""What readers may see of the articles: their statuses and review states, the one
definition of published, and the queryset every public view, feed and sitemap uses."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class ReviewState(models.TextChoices):
    CURRENT = "current", "Current"
    DUE_SOON = "due_soon", "Due within 30 days"
    OVERDUE = "overdue", "Overdue"
    NEVER = "never", "Never reviewed"


@dataclass(frozen=True)
class ReviewBadge:
    """An article's review state in one short phrase, for lists of articles."""

    kind: str  # "reviewed", "overdue" or "pending": a CSS modifier
    text: str
    reviewed_on: datetime.date | None = None


def published_condition(prefix: str = "") -> Q:
    """The one definition of "the public may see this article".

    ``prefix`` applies it across a relation (``"target__"`` for related links)
    as a join rather than an ``IN (subquery)``, which the article page's
    prefetch needs to stay cheap. Scheduling and expiry are decided here, at
    query time, so a future publish date goes live (and an expiry date hides)
    with no cron job.
    """
    now = timezone.now()
    return (Q(**{f"{prefix}expires_at__isnull": True}) | Q(**{f"{prefix}expires_at__gt": now})) & Q(
        **{
            f"{prefix}status": ArticleStatus.PUBLISHED,
            f"{prefix}published_at__isnull": False,
            f"{prefix}published_at__lte": now,
        }
    )


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What the public may see. Every public view, feed and sitemap uses this."""
        return self.filter(published_condition())

    def overdue(self, today: datetime.date | None = None):
        today = today or timezone.localdate()
        return self.filter(next_review_due__lt=today)

    def due_soon(self, today: datetime.date | None = None):
        today = today or timezone.localdate()
        horizon = today + datetime.timedelta(days=settings.REVIEW_DUE_SOON_DAYS)
        return self.filter(next_review_due__gte=today, next_review_due__lte=horizon)

    def review_current(self, today: datetime.date | None = None):
        today = today or timezone.localdate()
        horizon = today + datetime.timedelta(days=settings.REVIEW_DUE_SOON_DAYS)
        return self.filter(next_review_due__gt=horizon)

    def never_reviewed(self):
        return self.filter(Q(last_reviewed__isnull=True) | Q(next_review_due__isnull=True))

    def next_scheduled_change(
        self, now: datetime.datetime | None = None
    ) -> datetime.datetime | None:
        """When a published article next goes live or expires (None if nothing is scheduled).

        The published queryset decides visibility at query time; this is the
        moment its answer next changes, so caches of public pages know when to expire.
        """
        now = now or timezone.now()
        scheduled = self.filter(status=ArticleStatus.PUBLISHED)
        moments = [
            scheduled.filter(**{f"{field}__gt": now})
            .order_by(field)
            .values_list(field, flat=True)
            .first()
            for field in ("published_at", "expires_at")
        ]
        return min((moment for moment in moments if moment), default=None)

    def written_by(self, contributor):
        return self.filter(author=contributor)

    def vouched_for_by(self, contributor):
        """Articles whose public review stamp names ``contributor`` as the reviewer.

        An article changed since its review shows no reviewer (the review does
        not cover the text), so it is not listed as reviewed by them either.
        """
        return self.filter(
            reviewer=contributor, last_reviewed__isnull=False, changed_since_review=False
        )

    def without_bodies(self):
        """Leave out the body columns, for lists and pages that never show a body."""
        return self.defer("body", "body_html", "toc")

    def for_listing(self):
        """The columns a list of article cards needs, in a fixed number of queries."""
        return self.select_related("author").prefetch_related("categories")
