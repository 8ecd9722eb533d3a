"""Editorial pages and the stored parts of public article pages."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from markdownx.models import MarkdownxField

from mhsite.markdown import (
    render_markdown,
)

from .article import Article


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
