"""One article page type, shaped like mhsite's article: intro, StreamField body,
FAQs, references, related posts and categories."""

from django.db import models
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.snippets.models import register_snippet


@register_snippet
class BlogCategory(models.Model):
    name = models.CharField(max_length=80)
    slug = models.SlugField(unique=True)

    def __str__(self):
        return self.name


class BlogIndexPage(Page):
    intro = models.TextField(blank=True)


class BlogPage(Page):
    intro = models.TextField()
    author_name = models.CharField(max_length=120)
    reviewer_name = models.CharField(max_length=120, blank=True)
    last_reviewed = models.DateField(null=True, blank=True)
    published_on = models.DateField()
    body = StreamField(
        [
            ("heading", blocks.CharBlock(form_classname="title")),
            ("paragraph", blocks.RichTextBlock()),
        ]
    )
    categories = ParentalManyToManyField(BlogCategory, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        InlinePanel("faqs"),
        InlinePanel("references"),
        InlinePanel("related_links"),
        FieldPanel("categories"),
    ]

    def get_context(self, request, *args, **kwargs):
        # What a careful Wagtail developer would do: each relation read once,
        # the related pages' specific rows in one query, not one per link.
        context = super().get_context(request, *args, **kwargs)
        links = list(self.related_links.select_related("target"))
        targets = Page.objects.filter(pk__in=[link.target_id for link in links]).specific()
        by_id = {target.pk: target for target in targets}
        context.update(
            categories=list(self.categories.all()),
            faqs=list(self.faqs.all()),
            references=list(self.references.all()),
            related_pages=[by_id[link.target_id] for link in links if link.target_id in by_id],
        )
        return context


class BlogPageFAQ(Orderable):
    page = ParentalKey(BlogPage, on_delete=models.CASCADE, related_name="faqs")
    question = models.CharField(max_length=255)
    answer = RichTextField()


class BlogPageReference(Orderable):
    page = ParentalKey(BlogPage, on_delete=models.CASCADE, related_name="references")
    citation = models.CharField(max_length=500)
    url = models.URLField(blank=True)


class BlogPageRelatedLink(Orderable):
    page = ParentalKey(BlogPage, on_delete=models.CASCADE, related_name="related_links")
    target = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
