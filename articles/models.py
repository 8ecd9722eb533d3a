import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from markdownx.models import MarkdownxField

from .markdown import render_article_body, render_markdown


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by whole calendar months, clamped to the month's end."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate_day)
        except ValueError:
            continue
    raise ValueError(f"Cannot move {day} by {months} months.")  # pragma: no cover


class ReviewState(models.TextChoices):
    CURRENT = "current", "Current"
    DUE_SOON = "due_soon", "Due within 30 days"
    OVERDUE = "overdue", "Overdue"
    NEVER = "never", "Never reviewed"


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

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "category"
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:category", kwargs={"slug": self.slug})


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
    photo = models.ImageField(upload_to="contributors/", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "contributor"
        verbose_name_plural = "contributors"

    def __str__(self):
        return self.name

    @property
    def name_with_credentials(self) -> str:
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What the public may see. Every public view, feed and sitemap uses this."""
        return self.filter(
            status=Article.Status.PUBLISHED,
            published_at__isnull=False,
            published_at__lte=timezone.now(),
        )

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
    body = MarkdownxField(help_text="Markdown. Use ## for sections and ### for sub-sections.")
    image = models.ImageField(upload_to="articles/", blank=True)
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
    reviewer = models.ForeignKey(
        Contributor,
        verbose_name="medical reviewer",
        on_delete=models.PROTECT,
        related_name="reviewed_articles",
        null=True,
        blank=True,
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField("published", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField("modified", auto_now=True)
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
    toc = models.JSONField(editable=False, default=list, blank=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = "article"
        verbose_name_plural = "articles"
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_pub_idx"),
            models.Index(fields=["next_review_due"], name="article_review_due_idx"),
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
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                "body_html",
                "toc",
                "next_review_due",
                "published_at",
                "modified_at",
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
        if errors:
            raise ValidationError(errors)

    @property
    def is_public(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    def review_state(self, today: datetime.date | None = None) -> str:
        if not self.last_reviewed or not self.next_review_due:
            return ReviewState.NEVER
        today = today or timezone.localdate()
        if self.next_review_due < today:
            return ReviewState.OVERDUE
        if self.next_review_due <= today + datetime.timedelta(days=settings.REVIEW_DUE_SOON_DAYS):
            return ReviewState.DUE_SOON
        return ReviewState.CURRENT

    @property
    def is_overdue(self) -> bool:
        return self.review_state() == ReviewState.OVERDUE

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
    answer = MarkdownxField(help_text="Markdown.")
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
