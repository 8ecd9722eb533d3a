from django.utils.cache import add_never_cache_headers
from django.views.generic import ListView

from .forms import SearchForm
from .service import RankedResults, page_articles, per_page, search


class SearchView(ListView):
    """/search/?q=: published articles only, ranked, with category facets.

    Never cached, by the page cache or anyone else: the URL holds what a reader
    typed, which may be about their own health.
    """

    template_name = "articles/search.html"
    context_object_name = "articles"

    def get(self, request, *args, **kwargs):
        self.form = SearchForm(request.GET or None)
        self.outcome = None
        if not (self.form.is_bound and self.form.is_valid() and self.form.cleaned_data["q"]):
            response = super().get(request, *args, **kwargs)
        else:
            data = self.form.cleaned_data
            self.outcome = search(data["q"], data["category"], self._page_number())
            response = super().get(request, *args, **kwargs)
        if self.form.errors:
            response.status_code = 400
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex"
        return response

    def get_queryset(self):
        # The paginator loads the page's ids; its articles are loaded in get_context_data.
        return RankedResults(self.outcome) if self.outcome is not None else []

    def get_paginate_by(self, queryset):
        return per_page()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.outcome is not None and context["articles"]:
            context["articles"] = page_articles(self.outcome, list(context["articles"]))
        context.update(form=self.form, outcome=self.outcome, page_query=self._page_query())
        return context

    def _page_number(self) -> int:
        """The page asked for, when it is a number (the paginator judges it later)."""
        page = self.request.GET.get(self.page_kwarg, "")
        return int(page) if page.isdigit() and len(page) < 7 else 1

    def _page_query(self) -> str:
        """The query string for pagination links: everything but the page."""
        params = self.request.GET.copy()
        params.pop("page", None)
        return params.urlencode()
