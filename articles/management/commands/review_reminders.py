"""Email each medical reviewer their due list, and tell editors what needs them.

Run it daily from cron (see docs/review-workflow.md). It is safe to run more
than once a day: a reminder of a given kind goes to a given address at most
once per day (``ReminderLog``). Reviewers are the articles' *assigned*
reviewers. Editors hear about articles overdue beyond REVIEW_ESCALATION_DAYS
and about due articles nobody is assigned to.

One address that cannot be mailed does not stop the others: the failure is
logged, no ``ReminderLog`` is written for it (so the next run retries it), and
the command ends with an error giving the number of failed sends.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from articles import review_queue
from articles.models import ReminderLog
from articles.roles import EDITOR

logger = logging.getLogger(__name__)


def _article_line(entry: review_queue.QueueEntry) -> str:
    article = entry.article
    due = article.next_review_due.isoformat() if article.next_review_due else "not set"
    url = settings.SITE_URL + reverse("admin:articles_article_change", args=[article.pk])
    return f"- {article.title} ({entry.urgency_label.lower()}; review due {due})\n  {url}"


class Command(BaseCommand):
    help = (
        "Email each assigned medical reviewer the articles due or overdue for their review, "
        "and tell editors about articles overdue for more than REVIEW_ESCALATION_DAYS days "
        "or due with no reviewer assigned."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be sent; send nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        today = timezone.localdate()
        self.dry_run = dry_run
        self.sent = 0
        self.failed = 0
        groups = review_queue.queue_groups(today)
        queue_url = settings.SITE_URL + reverse("admin:articles_reviewqueue_changelist")

        unassigned: list[review_queue.QueueEntry] = []
        for group in groups:
            if group.reviewer is None:
                unassigned = group.entries
            else:
                self._notify_reviewer(today, group, queue_url)

        limit = datetime.timedelta(days=settings.REVIEW_ESCALATION_DAYS)
        escalated = [
            entry
            for group in groups
            for entry in group.entries
            if entry.article.next_review_due and entry.article.next_review_due + limit < today
        ]
        # A long-overdue unassigned article is listed once, with the escalations.
        escalated_ids = {entry.article.pk for entry in escalated}
        unassigned = [entry for entry in unassigned if entry.article.pk not in escalated_ids]
        if escalated or unassigned:
            self._notify_editors(today, escalated, unassigned, queue_url)

        self.stdout.write(f"Sent {self.sent} reminder(s).")
        if self.failed:
            raise CommandError(
                f"{self.failed} reminder(s) could not be sent (see the log above); "
                "running the command again retries them."
            )

    def _notify_reviewer(self, today, group, queue_url) -> None:
        reviewer = group.reviewer
        email = reviewer.user.email if reviewer.user_id and reviewer.user else ""
        if not email:
            self.stdout.write(
                f"{reviewer.name}: {len(group.entries)} article(s) due, but no login "
                "with an email address is linked to this contributor."
            )
            return
        body = (
            f"Hello {reviewer.name},\n\n"
            "These articles need your medical review:\n\n"
            + "\n".join(_article_line(entry) for entry in group.entries)
            + f"\n\nThe review queue: {queue_url}\n"
        )
        self._send_once(
            today,
            email,
            ReminderLog.Kind.REVIEWER_DUE,
            f"[{settings.SITE_NAME}] {len(group.entries)} article(s) due for medical review",
            body,
            len(group.entries),
        )

    def _notify_editors(self, today, escalated, unassigned, queue_url) -> None:
        sections, subject_parts = [], []
        if escalated:
            sections.append(
                f"These articles are overdue for medical review by more than "
                f"{settings.REVIEW_ESCALATION_DAYS} days:\n\n"
                + "\n".join(
                    f"{_article_line(entry)}\n"
                    f"  assigned reviewer: {entry.article.assigned_reviewer or 'none'}"
                    for entry in escalated
                )
            )
            subject_parts.append(f"{len(escalated)} long overdue")
        if unassigned:
            sections.append(
                "These articles are due for medical review but no reviewer is assigned "
                "(assign one on the article's page, under Medical review):\n\n"
                + "\n".join(_article_line(entry) for entry in unassigned)
            )
            subject_parts.append(f"{len(unassigned)} with no reviewer assigned")
        body = "\n\n".join(sections) + f"\n\nThe review queue: {queue_url}\n"
        subject = f"[{settings.SITE_NAME}] Medical review: {', '.join(subject_parts)}"
        editors = (
            get_user_model()
            .objects.filter(groups__name=EDITOR, is_active=True)
            .exclude(email="")
            .distinct()
        )
        count = len(escalated) + len(unassigned)
        for editor in editors:
            self._send_once(
                today, editor.email, ReminderLog.Kind.EDITOR_ESCALATION, subject, body, count
            )

    def _send_once(self, today, recipient, kind, subject, body, count) -> None:
        if ReminderLog.objects.filter(sent_on=today, recipient=recipient, kind=kind).exists():
            self.stdout.write(f"Already sent today: {kind} to {recipient}.")
            return
        if self.dry_run:
            self.stdout.write(f"Would send {kind} to {recipient} ({count} article(s)).")
            return
        try:
            # The log row is written first and rolled back if sending fails, so
            # a failed send is retried on the next run and a success never is.
            with transaction.atomic():
                ReminderLog.objects.create(
                    sent_on=today, recipient=recipient, kind=kind, article_count=count
                )
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])
        except IntegrityError:
            # Another run sent it a moment ago.
            self.stdout.write(f"Already sent today: {kind} to {recipient}.")
            return
        except Exception as exc:  # noqa: BLE001 - one bad address or outage must not stop the run
            # SMTP errors are OSErrors, but other email backends raise their own types.
            self.failed += 1
            logger.exception("Could not send %s reminder to %s", kind, recipient)
            self.stderr.write(f"Could not send {kind} to {recipient}: {exc!r}")
            return
        self.sent += 1
        self.stdout.write(f"Sent {kind} to {recipient} ({count} article(s)).")
