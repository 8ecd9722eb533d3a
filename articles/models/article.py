"""The article (its statuses, review states and queryset are in ``states``)."""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from markdownx.models import MarkdownxField

from mhsite.dates import add_months
from mhsite.images import CleanImageField
from mhsite.markdown import (
    ARTICLE_BODY_MAX_CHARS,
    MarkdownLengthValidator,
    render_article_body,
)

from .states import ArticleQuerySet, ArticleStatus, ReviewBadge, ReviewState


class Article(models.Model):
    Status = ArticleStatus

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.TextField(
        max_length=300,
        help_text="One or two sentences. Also used as the page's meta description.",
    )
    body = MarkdownxField(
        help_text="Markdown. Use ## for sections and ### for sub-sections. "
        f"At most {ARTICLE_BODY_MAX_CHARS:,} characters.",
        validators=[MarkdownLengthValidator(ARTICLE_BODY_MAX_CHARS)],
    )
    image = CleanImageField(upload_to="articles/", blank=True)
    image_alt = models.CharField(
        "image alt text",
        max_length=250,
        blank=True,
        help_text="Describe the image for readers who cannot see it. Required with an image.",
    )
    image_credit = models.CharField(max_length=200, blank=True)
    image_credit_url = models.URLField("image credit URL", blank=True)
    categories = models.ManyToManyField("articles.Category", related_name="articles", blank=True)
    author = models.ForeignKey(
        "articles.Contributor",
        on_delete=models.PROTECT,
        related_name="authored_articles",
        null=True,
        blank=True,
    )
    # Who vouches for the text on the public stamp and in the JSON-LD: written
    # only by an approved full review (articles/reviews.py apply_review), so
    # assigning the next reviewer never changes what readers are told.
    reviewer = models.ForeignKey(
        "articles.Contributor",
        verbose_name="last reviewed by",
        on_delete=models.PROTECT,
        related_name="reviewed_articles",
        null=True,
        blank=True,
        editable=False,
    )
    assigned_reviewer = models.ForeignKey(
        "articles.Contributor",
        verbose_name="assigned medical reviewer",
        on_delete=models.SET_NULL,
        related_name="assigned_articles",
        null=True,
        blank=True,
        help_text=(
            "Who does the next medical review: the review queue and reminders go to them. "
            "The public page names whoever did the last approved full review."
        ),
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "published",
        null=True,
        blank=True,
        help_text="A future date schedules the article: it goes live at that time.",
    )
    expires_at = models.DateTimeField(
        "expires",
        null=True,
        blank=True,
        help_text="Optional. The article is hidden from readers from this time on.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField("modified", auto_now=True)
    # What readers are told as "Updated": set only by an editor's explicit
    # "this is a substantive update" (articles/updates.py) or by an import's
    # `updated` key, never by an ordinary save, so a typo fix moves nothing.
    last_substantive_update = models.DateField(
        "last substantive update",
        null=True,
        blank=True,
        editable=False,
        help_text="Shown to readers as “Updated” when later than the publish date.",
    )
    last_reviewed = models.DateField(null=True, blank=True)
    next_review_due = models.DateField(
        null=True,
        blank=True,
        help_text="Left empty, it is set to the last review date plus the review interval.",
    )
    related = models.ManyToManyField(
        "self",
        through="RelatedArticle",
        through_fields=("article", "target"),
        symmetrical=False,
        related_name="+",
        blank=True,
    )
    body_html = models.TextField(editable=False, blank=True)
    # Codes of the failing content checks; None until computed after a change
    # (articles/check_cache.py), so admin lists need not load the body.
    check_codes = models.JSONField(null=True, blank=True, editable=False)
    toc = models.JSONField(editable=False, default=list, blank=True)
    # Medical review bookkeeping (see articles/reviews.py): the clinically
    # sensitive passages as they stood at the last approved full review, and
    # whether an edit has changed them since.
    reviewed_sensitive_text = models.JSONField(editable=False, null=True, blank=True)
    changed_since_review = models.BooleanField(
        "changed since medical review", default=False, editable=False
    )
    # A new value on every save: the admin refuses a save made from a form
    # loaded before someone else's save (optimistic locking).
    edit_token = models.UUIDField(default=uuid.uuid4, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = "article"
        verbose_name_plural = "articles"
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_pub_idx"),
            models.Index(fields=["next_review_due"], name="article_review_due_idx"),
        ]
        permissions = [
            ("publish_article", "Can publish, archive and schedule articles"),
            ("assign_reviewer", "Can assign an article's medical reviewer"),
            (
                "override_review_rules",
                "Can publish without a current medical review, giving a reason",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(image="") | ~Q(image_alt=""),
                name="article_image_requires_alt",
            ),
            models.CheckConstraint(
                condition=Q(next_review_due__isnull=True)
                | Q(last_reviewed__isnull=True)
                | Q(next_review_due__gte=models.F("last_reviewed")),
                name="article_review_due_after_review",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True)
                | Q(published_at__isnull=True)
                | Q(expires_at__gt=models.F("published_at")),
                name="article_expires_after_publish",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.last_reviewed and not self.next_review_due:
            self.next_review_due = add_months(self.last_reviewed, settings.REVIEW_INTERVAL_MONTHS)
        if self.status == self.Status.PUBLISHED and not self.published_at:
            self.published_at = timezone.now()
        # Render once on save so public requests never run Markdown.
        rendered = render_article_body(self.body)
        self.body_html = rendered.html
        self.toc = rendered.toc
        self.edit_token = uuid.uuid4()
        self.check_codes = None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                "body_html",
                "toc",
                "check_codes",
                "next_review_due",
                "published_at",
                "modified_at",
                "edit_token",
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def clean(self):
        # The same rules as the check constraints, as field errors an editor can fix.
        errors = {}
        if self.image and not self.image_alt.strip():
            errors["image_alt"] = "Describe the image for readers who cannot see it."
        due, reviewed = self.next_review_due, self.last_reviewed
        if due and reviewed and due < reviewed:
            errors["next_review_due"] = "The next review cannot be before the last review."
        if self.last_substantive_update and self.last_substantive_update > timezone.localdate():
            # Not a form field (editable=False): a non-field error, so a form can show it.
            errors[NON_FIELD_ERRORS] = "The last substantive update cannot be in the future."
        if errors:
            raise ValidationError(errors)

    @property
    def is_public(self) -> bool:
        now = timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and (self.expires_at is None or self.expires_at > now)
        )

    @property
    def updated_on(self) -> datetime.date | None:
        """The "Updated" date readers see: the last substantive update, if after publishing."""
        updated, published = self.last_substantive_update, self.published_at
        if not updated or not published or updated <= timezone.localdate(published):
            return None
        return updated

    def review_state(self, today: datetime.date | None = None) -> str:
        if not self.last_reviewed or not self.next_review_due:
            return ReviewState.NEVER
        today = today or timezone.localdate()
        if self.next_review_due < today:
            return ReviewState.OVERDUE
        if self.next_review_due <= today + datetime.timedelta(days=settings.REVIEW_DUE_SOON_DAYS):
            return ReviewState.DUE_SOON
        return ReviewState.CURRENT

    def review_badge(self, today: datetime.date | None = None) -> ReviewBadge:
        """What a list of articles says about the review (templates/includes/review_state.html).

        The same decision as the article's review stamp, from the article's own
        columns only, so a page of cards costs no extra query.
        """
        if self.changed_since_review:
            return ReviewBadge("pending", "Updated, not yet re-reviewed")
        state = self.review_state(today)
        if state == ReviewState.NEVER:
            return ReviewBadge("pending", "Not yet medically reviewed")
        if state == ReviewState.OVERDUE:
            return ReviewBadge("overdue", "Review overdue")
        return ReviewBadge("reviewed", "Reviewed", self.last_reviewed)

    @property
    def is_overdue(self) -> bool:
        return self.review_state() == ReviewState.OVERDUE

    @property
    def is_overdue_beyond_grace(self) -> bool:
        """Overdue for longer than the grace period: readers are told, the queue lists it first."""
        if not self.next_review_due:
            return False
        grace = datetime.timedelta(days=settings.REVIEW_OVERDUE_GRACE_DAYS)
        return self.next_review_due + grace < timezone.localdate()

    def get_review_state_display(self) -> str:
        return ReviewState(self.review_state()).label
