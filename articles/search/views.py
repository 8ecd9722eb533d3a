from django.core.paginator import Paginator
from django.utils.cache import add_never_cache_headers
from django.views.generic import ListView

from .forms import SearchForm
from .service import per_page, results, search


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
        if self.form.is_bound and self.form.is_valid() and self.form.cleaned_data["q"]:
            data = self.form.cleaned_data
            self.outcome = search(data["q"], data["category"])
        response = super().get(request, *args, **kwargs)
        if self.form.errors:
            response.status_code = 400
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex"
        return response

    def get_queryset(self):
        if self.outcome is None or not self.outcome.result_count:
            return []
        return results(self.outcome)

    def get_paginate_by(self, queryset):
        return per_page()

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        paginator = Paginator(queryset, per_page, orphans, allow_empty_first_page, **kwargs)
        if self.outcome is not None:
            # Known from the search's own counts: no second COUNT query.
            paginator.__dict__["count"] = self.outcome.result_count
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(form=self.form, outcome=self.outcome, page_query=self._page_query())
        return context

    def _page_query(self) -> str:
        """The query string for pagination links: everything but the page."""
        params = self.request.GET.copy()
        params.pop("page", None)
        return params.urlencode()
