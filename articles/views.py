from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.generic import DetailView, ListView, TemplateView
from django.views.generic.list import MultipleObjectMixin

from . import page_parts
from .models import Article, Category, Contributor, EditorialPage
from .seo import contributor_jsonld

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
        # A topic with nothing published is not public yet, like a draft.
        self.category = get_object_or_404(
            Category.objects.with_published_articles(), slug=self.kwargs["slug"]
        )
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
    banner, marked noindex and never cached by shared caches. Readers get the
    article's stored parts when they can be trusted (articles/page_parts.py);
    staff always get a live render.
    """

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get(self, request, *args, **kwargs):
        if _is_staff(request):
            return super().get(request, *args, **kwargs)
        found = page_parts.public_article(kwargs["slug"])
        if found is None:
            raise Http404("No article found matching the query")
        row = page_parts.stored_row(found)
        parts = page_parts.trusted_parts(row)
        if parts is None:
            parts = self.render_and_store(found, row)
        return self.render_to_response({"parts": parts, "is_preview": False})

    def render_and_store(self, found: Article, row) -> dict[str, str]:
        generation = page_parts.generation_before_reading(found, row)
        now = timezone.now()  # before the rows are read: see page_parts.valid_until
        article = get_object_or_404(self.get_queryset(), pk=found.pk)
        parts, tags = page_parts.render(self.request, article)
        page_parts.store(article.pk, generation, parts, tags, page_parts.valid_until(now))
        return parts

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
        now = timezone.now()
        context.update(
            parts=page_parts.render(self.request, article)[0],
            is_preview=not article.is_public,
            is_scheduled=bool(article.published_at and article.published_at > now),
            is_expired=bool(article.expires_at and article.expires_at <= now),
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["is_preview"]:
            patch_cache_control(response, private=True, no_store=True)
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response


class ContributorDetailView(DetailView):
    """A contributor's public page: who they are and the published work they wrote or reviewed.

    Only contributors with published work exist for the public: a profile made
    for a draft's author is a 404, like the draft. The two lists page
    separately (``?written=`` and ``?reviewed=``); a bad page number is a 404.
    """

    template_name = "articles/contributor_detail.html"
    context_object_name = "contributor"

    def get_queryset(self):
        # Built per request: "published" is decided at query time (scheduling, expiry).
        return Contributor.objects.with_published_work()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contributor = self.object
        published = Article.objects.published().for_listing()
        context.update(
            written_page=self._page(published.written_by(contributor), "written"),
            reviewed_page=self._page(published.vouched_for_by(contributor), "reviewed"),
            contributor_jsonld=contributor_jsonld(contributor),
        )
        return context

    def _page(self, queryset, parameter: str):
        paginator = Paginator(queryset, settings.ARTICLES_PER_PAGE)
        try:
            return paginator.page(self.request.GET.get(parameter) or 1)
        except InvalidPage:
            raise Http404("No such page.") from None


class HowWeReviewView(DetailView):
    """The editor-managed "How we review" page that every review stamp links to."""

    template_name = "articles/editorial_page.html"
    context_object_name = "page"

    def get_object(self, queryset=None):
        return get_object_or_404(EditorialPage.objects.how_we_review())
