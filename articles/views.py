from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView, TemplateView

from .models import FAQ, Article, Category, Reference, RelatedArticle


class HomeView(TemplateView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["latest_articles"] = Article.objects.published().for_listing()[:6]
        context["categories"] = Category.objects.all()
        return context


class ArticleListView(ListView):
    template_name = "articles/article_list.html"
    context_object_name = "articles"

    def get_paginate_by(self, queryset):
        return settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        return Article.objects.published().for_listing()


class CategoryDetailView(ArticleListView):
    template_name = "articles/category_detail.html"

    def get_queryset(self):
        self.category = get_object_or_404(Category, slug=self.kwargs["slug"])
        return super().get_queryset().filter(categories=self.category)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["category"] = self.category
        return context


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        queryset = Article.objects.all()
        # Staff preview drafts, in-review and archived articles; everyone else
        # sees only what is published.
        if not (self.request.user.is_authenticated and self.request.user.is_staff):
            queryset = queryset.published()
        return queryset.select_related("author", "reviewer").prefetch_related(
            "categories",
            Prefetch("faqs", queryset=FAQ.objects.order_by("order", "pk")),
            Prefetch("references", queryset=Reference.objects.order_by("order", "pk")),
            Prefetch(
                "related_links",
                queryset=RelatedArticle.objects.filter(
                    target__in=Article.objects.published()
                ).select_related("target"),
            ),
        )

    def get_object(self, queryset=None):
        try:
            return super().get_object(queryset)
        except Article.DoesNotExist as exc:  # pragma: no cover - DetailView raises Http404
            raise Http404 from exc
