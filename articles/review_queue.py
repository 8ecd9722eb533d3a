"""Which articles need a medical reviewer's attention, most urgent first.

Used by the admin's review queue page, its count badge and the
``review_reminders`` command, so all three agree on what is due. Articles are
grouped by their *assigned* reviewer (who does the next review), not by the
reviewer named on the public stamp (who did the last one).

An article In review that has never had an approved full review is "awaiting
first review": it heads its reviewer's section, oldest first, since nothing
else will bring it to anyone's attention (it has no due date).
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import Article, Contributor

# Urgency ranks: lower comes first within a reviewer's section.
AWAITING_FIRST_REVIEW = -1
OVERDUE_BEYOND_GRACE = 0
OVERDUE = 1
CHANGED_SINCE_REVIEW = 2
DUE_SOON = 3

URGENCY_LABELS = {
    AWAITING_FIRST_REVIEW: "Awaiting first review",
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

    @property
    def is_first_review(self) -> bool:
        return self.urgency == AWAITING_FIRST_REVIEW

    @property
    def sort_key(self) -> tuple:
        waiting_since = self.article.created_at.timestamp() if self.is_first_review else 0
        return (self.urgency, -self.days_overdue, waiting_since, self.article.title)


@dataclass
class ReviewerGroup:
    reviewer: Contributor | None
    entries: list[QueueEntry] = field(default_factory=list)

    @property
    def most_urgent(self) -> tuple[int, int]:
        # Sections are ordered by what readers can see: a draft awaiting its
        # first review heads its own section but does not outrank overdue pages.
        return min(
            (
                (entry.urgency, -entry.days_overdue)
                for entry in self.entries
                if not entry.is_first_review
            ),
            default=(len(URGENCY_LABELS), 0),
        )


def awaiting_first_review() -> Q:
    return Q(status=Article.Status.IN_REVIEW, last_reviewed__isnull=True)


def due_articles(today: datetime.date | None = None):
    """Articles (not archived) overdue, due soon, changed since review or awaiting first review."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=settings.REVIEW_DUE_SOON_DAYS)
    return (
        Article.objects.exclude(status=Article.Status.ARCHIVED)
        .filter(
            Q(next_review_due__lte=horizon) | Q(changed_since_review=True) | awaiting_first_review()
        )
        .select_related("assigned_reviewer__user")
        .order_by("next_review_due", "pk")
        .without_bodies()
    )


def queue_count(today: datetime.date | None = None) -> int:
    return due_articles(today).count()


def entry_for(article: Article, today: datetime.date) -> QueueEntry:
    if article.status == Article.Status.IN_REVIEW and article.last_reviewed is None:
        return QueueEntry(article=article, urgency=AWAITING_FIRST_REVIEW, days_overdue=0)
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
        group.entries.sort(key=lambda entry: entry.sort_key)
    return sorted(
        groups.values(),
        key=lambda g: (*g.most_urgent, g.reviewer.name if g.reviewer else "\uffff"),
    )


def own_section_first(groups: list[ReviewerGroup], user) -> list[ReviewerGroup]:
    """The groups with the one assigned to ``user``'s contributor profile moved to the top."""
    return sorted(
        groups,
        key=lambda group: not (group.reviewer and group.reviewer.user_id == user.pk),
    )
