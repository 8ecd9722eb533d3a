import datetime
import uuid
from dataclasses import dataclass

import reversion
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from markdownx.models import MarkdownxField

from mhsite.dates import add_months
from mhsite.images import CleanImageField
from mhsite.markdown import (
    ARTICLE_BODY_MAX_CHARS,
    FAQ_ANSWER_MAX_CHARS,
    MarkdownLengthValidator,
    render_article_body,
    render_markdown,
)


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


class CategoryQuerySet(models.QuerySet):
    def with_published_articles(self):
        """Categories a reader can browse: those with at least one published article."""
        return self.filter(
            models.Exists(Article.objects.published().filter(categories=models.OuterRef("pk")))
        )


class Category(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    review_interval_months = models.PositiveSmallIntegerField(
        "review interval (months)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=(
            "How often articles in this category need a full medical review, e.g. 6 for "
            "medication topics. Empty: the site default. An article in several categories "
            "uses the shortest interval."
        ),
    )

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "category"
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:category", kwargs={"slug": self.slug})


class ContributorQuerySet(models.QuerySet):
    def with_published_work(self):
        """Contributors a reader can look up: authors or stamp reviewers of a published article."""
        published = Article.objects.published()
        return self.filter(
            models.Exists(published.filter(author=models.OuterRef("pk")))
            | models.Exists(published.vouched_for_by(models.OuterRef("pk")))
        )


class Contributor(models.Model):
    """A person behind the content: author, medical reviewer, or both."""

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    credentials = models.CharField(
        max_length=200,
        blank=True,
        help_text='Shown after the name, e.g. "MD, board-certified psychiatrist".',
    )
    bio = models.TextField(blank=True)
    photo = CleanImageField(upload_to="contributors/", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributor",
        help_text=(
            "A reviewer's login: the reviews they record are signed with this profile. "
            "Only administrators may change it (articles/contributors.py)."
        ),
    )

    objects = ContributorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "contributor"
        verbose_name_plural = "contributors"
        permissions = [
            ("link_contributor_user", "Can link a contributor profile to a login"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # The login decides whose name it signs reviews with: only
        # articles.contributors.link_user (permission checked, logged) changes it.
        loaded = getattr(self, "_loaded_user_id", self.user_id)
        if self.user_id != loaded and not getattr(self, "_user_link_checked", False):
            raise PermissionDenied(
                "A contributor's login is changed only through articles.contributors.link_user."
            )
        super().save(*args, **kwargs)
        self._loaded_user_id = self.user_id
        self._user_link_checked = False

    def get_absolute_url(self):
        return reverse("articles:contributor", kwargs={"slug": self.slug})

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        if "user_id" in instance.__dict__:  # not when the field was deferred
            instance._loaded_user_id = instance.user_id
        return instance

    def refresh_from_db(self, using=None, fields=None, **kwargs):
        super().refresh_from_db(using, fields, **kwargs)
        if fields is None or "user" in fields or "user_id" in fields:
            self._loaded_user_id = self.user_id

    @property
    def name_with_credentials(self) -> str:
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


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
            f"{prefix}status": Article.Status.PUBLISHED,
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
        scheduled = self.filter(status=Article.Status.PUBLISHED)
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


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

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
    categories = models.ManyToManyField(Category, related_name="articles", blank=True)
    author = models.ForeignKey(
        Contributor,
        on_delete=models.PROTECT,
        related_name="authored_articles",
        null=True,
        blank=True,
    )
    # Who vouches for the text on the public stamp and in the JSON-LD: written
    # only by an approved full review (articles/reviews.py apply_review), so
    # assigning the next reviewer never changes what readers are told.
    reviewer = models.ForeignKey(
        Contributor,
        verbose_name="last reviewed by",
        on_delete=models.PROTECT,
        related_name="reviewed_articles",
        null=True,
        blank=True,
        editable=False,
    )
    assigned_reviewer = models.ForeignKey(
        Contributor,
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


class RelatedArticle(models.Model):
    """An editor-chosen, ordered link from one article to another."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_links")
    target = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="+", verbose_name="related article"
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "related article"
        verbose_name_plural = "related articles"
        constraints = [
            models.UniqueConstraint(fields=["article", "target"], name="related_article_unique"),
            models.CheckConstraint(
                condition=~Q(article=models.F("target")), name="related_article_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.article} → {self.target}"


class FAQ(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="faqs")
    question = models.CharField(max_length=300)
    answer = MarkdownxField(
        help_text=f"Markdown. At most {FAQ_ANSWER_MAX_CHARS:,} characters.",
        validators=[MarkdownLengthValidator(FAQ_ANSWER_MAX_CHARS)],
    )
    answer_html = models.TextField(editable=False, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "FAQ"
        verbose_name_plural = "FAQs"

    def __str__(self):
        return self.question

    def save(self, *args, **kwargs):
        self.answer_html = render_markdown(self.answer)
        super().save(*args, **kwargs)


class Reference(models.Model):
    """A source behind the article's medical claims."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="references")
    citation = models.TextField()
    url = models.URLField("URL", max_length=500, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "reference"
        verbose_name_plural = "references"

    def __str__(self):
        return self.citation[:80]


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


class EditorialPageQuerySet(models.QuerySet):
    def how_we_review(self):
        return self.filter(key=EditorialPage.Key.HOW_WE_REVIEW)


class EditorialPage(models.Model):
    """A page about the publisher's editorial process, written by editors (not an article).

    Each page has a fixed ``key`` and its own URL (``URL_NAMES``); the review
    stamp links to the "How we review" page. The defaults are installed by a
    data migration (articles/editorial.py).
    """

    class Key(models.TextChoices):
        HOW_WE_REVIEW = "how_we_review", "How we review"

    URL_NAMES = {Key.HOW_WE_REVIEW: "articles:how_we_review"}

    key = models.CharField(max_length=40, choices=Key, editable=False)
    title = models.CharField(max_length=200)
    body = MarkdownxField(help_text="Markdown. Use ## for sections.")
    body_html = models.TextField(editable=False, blank=True)
    last_reviewed = models.DateField(
        help_text="When the editors last checked that this page describes what they do.",
    )
    updated_at = models.DateTimeField("modified", auto_now=True)

    objects = EditorialPageQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = "editorial page"
        verbose_name_plural = "editorial pages"
        constraints = [
            models.UniqueConstraint(fields=["key"], name="editorial_page_key_unique"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Rendered on save, like articles, so public requests never run Markdown.
        self.body_html = self.render(self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "body_html", "updated_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(self.URL_NAMES[self.key])

    def clean(self):
        if self.last_reviewed and self.last_reviewed > timezone.localdate():
            raise ValidationError({"last_reviewed": "The last review cannot be in the future."})

    @staticmethod
    def render(markdown_text: str) -> str:
        """The site's one sanitizing renderer, also used by the data migration."""
        return render_markdown(markdown_text)


class ReviewQueue(Article):
    """The admin's review queue page (articles due or overdue for review)."""

    class Meta:
        proxy = True
        verbose_name = "review queue"
        verbose_name_plural = "review queue"
        default_permissions = ()


class ArticlePageParts(models.Model):
    """The public article page's parts as last rendered, so a request reads one row.

    Written and trusted only by articles/page_parts.py: ``generation`` is bumped
    by every write that invalidates the article's page-cache tags, and the parts
    are served only while ``built_generation`` still equals it (and the key and
    ``valid_until`` match); otherwise the page is rendered live and stored again.
    """

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="page_parts"
    )
    generation = models.PositiveBigIntegerField(default=0)
    built_generation = models.PositiveBigIntegerField(null=True, blank=True)
    # Site address, settings and code the parts were rendered with.
    key = models.CharField(max_length=64, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)
    parts = models.JSONField(null=True, blank=True)
    # The page-cache tags the live render recorded, recorded again when served.
    tags = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = "article page parts"
        verbose_name_plural = "article page parts"
        default_permissions = ()

    def __str__(self):
        return f"Page parts of article {self.article_id}"


# History that loses nothing (django-reversion): every save of an article
# keeps a version that includes its FAQs, references and related links.
# Reviews are versioned so that recovering a deleted article brings its
# review history back too (they are deliberately not followed from Article,
# so reverting an article to an old version never deletes later reviews).
reversion.register(FAQ)
reversion.register(Reference)
reversion.register(RelatedArticle)
reversion.register(Article, follow=["faqs", "references", "related_links"])
reversion.register(Review)

# The search app's models live with the search code (articles/search/models.py).
from .search.models import (  # noqa: E402, F401
    CrisisTerm,
    SearchDocument,
    SearchSynonym,
    SearchWord,
    ZeroResultQuery,
)
