"""Which articles need a medical reviewer's attention, most urgent first.

Used by the admin's review queue page, its count badge and the
``review_reminders`` command, so all three agree on what is due. Articles are
grouped by their *assigned* reviewer (who does the next review), not by the
reviewer named on the public stamp (who did the last one).
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import Article, Contributor

# Urgency ranks: lower is more urgent.
OVERDUE_BEYOND_GRACE = 0
OVERDUE = 1
CHANGED_SINCE_REVIEW = 2
DUE_SOON = 3

URGENCY_LABELS = {
    OVERDUE_BEYOND_GRACE: "Overdue beyond the grace period",
    OVERDUE: "Overdue",
    CHANGED_SINCE_REVIEW: "Changed since review",
    DUE_SOON: "Due soon",
}


@dataclass
class QueueEntry:
    article: Article
    urgency: int
    days_overdue: int

    @property
    def urgency_label(self) -> str:
        return URGENCY_LABELS[self.urgency]


@dataclass
class ReviewerGroup:
    reviewer: Contributor | None
    entries: list[QueueEntry] = field(default_factory=list)

    @property
    def most_urgent(self) -> tuple[int, int]:
        return min((entry.urgency, -entry.days_overdue) for entry in self.entries)


def due_articles(today: datetime.date | None = None):
    """Articles (not archived) overdue, due within the due-soon window, or changed since review."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=settings.REVIEW_DUE_SOON_DAYS)
    return (
        Article.objects.exclude(status=Article.Status.ARCHIVED)
        .filter(Q(next_review_due__lte=horizon) | Q(changed_since_review=True))
        .select_related("assigned_reviewer__user")
        .order_by("next_review_due", "pk")
        .without_bodies()
    )


def queue_count(today: datetime.date | None = None) -> int:
    return due_articles(today).count()


def entry_for(article: Article, today: datetime.date) -> QueueEntry:
    due = article.next_review_due
    days_overdue = (today - due).days if due and due < today else 0
    if days_overdue > settings.REVIEW_OVERDUE_GRACE_DAYS:
        urgency = OVERDUE_BEYOND_GRACE
    elif days_overdue > 0:
        urgency = OVERDUE
    elif article.changed_since_review:
        urgency = CHANGED_SINCE_REVIEW
    else:
        urgency = DUE_SOON
    return QueueEntry(article=article, urgency=urgency, days_overdue=days_overdue)


def queue_groups(today: datetime.date | None = None) -> list[ReviewerGroup]:
    """The due articles grouped by assigned reviewer; the most urgent group and entry first.

    Articles nobody is assigned to form one group whose ``reviewer`` is None.
    """
    today = today or timezone.localdate()
    groups: dict[int | None, ReviewerGroup] = {}
    for article in due_articles(today):
        group = groups.setdefault(
            article.assigned_reviewer_id, ReviewerGroup(article.assigned_reviewer)
        )
        group.entries.append(entry_for(article, today))
    for group in groups.values():
        group.entries.sort(key=lambda e: (e.urgency, -e.days_overdue, e.article.title))
    return sorted(
        groups.values(),
        key=lambda g: (*g.most_urgent, g.reviewer.name if g.reviewer else "\uffff"),
    )
