"""What an article carries besides its body: related links, FAQs, references."""

from django.db import models
from django.db.models import Q
from markdownx.models import MarkdownxField

from mhsite.markdown import (
    FAQ_ANSWER_MAX_CHARS,
    MarkdownLengthValidator,
    render_markdown,
)

from .article import Article


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
