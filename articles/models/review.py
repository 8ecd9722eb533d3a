"""The medical review process: reviews, publish overrides, sensitive terms, reminders."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .article import Article
from .taxonomy import Contributor


class Review(models.Model):
    """One medical review of an article, signed by the reviewer who did it.

    Only an approved full review vouches for the article: it alone moves the
    article's last-reviewed date, reviewer and next-review-due date (see
    ``articles.reviews.record_review``). Partial reviews and copy edits are kept
    for the record.
    """

    class Scope(models.TextChoices):
        FULL = "full", "Full medical review"
        PARTIAL = "partial", "Partial review"
        COPY_EDIT = "copy_edit", "Copy edit"

    class Outcome(models.TextChoices):
        APPROVED = "approved", "Approved"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        Contributor,
        on_delete=models.PROTECT,
        related_name="reviews",
        help_text="The contributor profile (with credentials) of the reviewer.",
    )
    reviewed_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="recorded by",
    )
    reviewed_on = models.DateField("date", default=timezone.localdate)
    scope = models.CharField(max_length=20, choices=Scope, default=Scope.FULL)
    outcome = models.CharField(max_length=20, choices=Outcome, default=Outcome.APPROVED)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on", "-created_at"]
        verbose_name = "medical review"
        verbose_name_plural = "medical reviews"
        indexes = [
            models.Index(fields=["article", "-reviewed_on"], name="review_article_date_idx"),
        ]

    def __str__(self):
        return f"{self.get_scope_display()} of {self.article} on {self.reviewed_on}"

    @property
    def vouches_for_article(self) -> bool:
        return self.scope == self.Scope.FULL and self.outcome == self.Outcome.APPROVED


class PublishOverride(models.Model):
    """An editor's recorded decision to publish despite the review rules."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="publish_overrides")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField()
    overridden_rules = models.TextField(help_text="The rules that would have blocked publishing.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "publish override"
        verbose_name_plural = "publish overrides"

    def __str__(self):
        return f"Override for {self.article} on {self.created_at:%Y-%m-%d}"


class MedicationTerm(models.Model):
    """A medication name whose mention makes text clinically sensitive."""

    name = models.CharField(
        max_length=100,
        unique=True,
        help_text="Generic or brand name, matched as a whole word in any letter case.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "medication term"
        verbose_name_plural = "medication terms"
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("name"), name="medication_term_name_ci_unique"
            ),
        ]

    def __str__(self):
        return self.name


class ReminderLog(models.Model):
    """One review reminder sent: makes ``review_reminders`` safe to run repeatedly."""

    class Kind(models.TextChoices):
        REVIEWER_DUE = "reviewer_due", "Reviewer's due list"
        EDITOR_ESCALATION = "editor_escalation", "Escalation to an editor"

    sent_on = models.DateField()
    recipient = models.EmailField()
    kind = models.CharField(max_length=30, choices=Kind)
    article_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "recipient"]
        verbose_name = "review reminder"
        verbose_name_plural = "review reminders"
        constraints = [
            models.UniqueConstraint(
                fields=["sent_on", "recipient", "kind"], name="reminder_log_once_per_day"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.recipient} on {self.sent_on}"


class ReviewQueue(Article):
    """The admin's review queue page (articles due or overdue for review)."""

    class Meta:
        proxy = True
        verbose_name = "review queue"
        verbose_name_plural = "review queue"
        default_permissions = ()
