from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.generic import DetailView, ListView, TemplateView
from django.views.generic.list import MultipleObjectMixin

from therapists.finder_links import category_specialty_slugs, finder_url_for_categories

from .models import Article, Category, RelatedArticle, published_condition
from .seo import article_jsonld, faq_jsonld

HOME_LATEST_COUNT = 6


def _is_staff(request: HttpRequest) -> bool:
    return request.user.is_authenticated and request.user.is_staff


class HomeView(TemplateView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["latest_articles"] = Article.objects.published().for_listing()[:HOME_LATEST_COUNT]
        context["categories"] = Category.objects.with_published_articles()
        return context


class PaginatedArticlesMixin(MultipleObjectMixin):
    """Published article cards, paginated; a bad or out-of-range ?page= is a 404."""

    context_object_name = "articles"

    def get_paginate_by(self, queryset):
        return settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        return Article.objects.published().for_listing()


class ArticleListView(PaginatedArticlesMixin, ListView):
    template_name = "articles/article_list.html"


class CategoryDetailView(PaginatedArticlesMixin, ListView):
    template_name = "articles/category_detail.html"

    def get(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category, slug=self.kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().filter(categories=self.category)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["category"] = self.category
        return context


class ArticleDetailView(DetailView):
    """The public article page; staff also see drafts, in-review and archived ones.

    Admin's "view on site" links to ``get_absolute_url``, so the same URL is the
    staff preview: non-public articles are rendered for staff with a preview
    banner, marked noindex and never cached by shared caches.
    """

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        queryset = Article.objects.all() if _is_staff(self.request) else Article.objects.published()
        # The page shows neither the Markdown source (body_html is) nor the
        # snapshot of the reviewed text, the two largest columns.
        return queryset.select_related("author", "reviewer").defer(
            "body", "reviewed_sensitive_text"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.object
        # One page, one article: a plain query per relation does the same
        # work as prefetch_related without its bookkeeping, which measured
        # about a tenth of the request (bench/articles.py).
        faqs = list(article.faqs.all())
        categories = list(
            article.categories.only("name", "slug").annotate(
                # The specialties mapped to each category, for the finder link.
                specialty_slugs=category_specialty_slugs()
            )
        )
        related_articles = [
            link.target
            for link in RelatedArticle.objects.filter(article=article)
            # Only what the public may read, even in a staff preview, in the
            # editor's order.
            .filter(published_condition("target__"))
            .select_related("target")
            .only("target__title", "target__slug", "target__summary")
        ]
        now = timezone.now()
        context.update(
            is_preview=not article.is_public,
            is_scheduled=bool(article.published_at and article.published_at > now),
            is_expired=bool(article.expires_at and article.expires_at <= now),
            faqs=faqs,
            references=list(article.references.all()),
            categories=categories,
            finder_url=finder_url_for_categories(categories),
            related_articles=related_articles,
            article_jsonld=article_jsonld(article),
            faq_jsonld=faq_jsonld(faqs),
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["is_preview"]:
            patch_cache_control(response, private=True, no_store=True)
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response
