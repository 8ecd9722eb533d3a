from django.conf import settings
from django.contrib import messages
from django.core.paginator import InvalidPage, Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import DetailView, ListView

from .finder.cards import CardPages
from .finder.explained import (
    as_text_url,
    headline,
    panel_active,
    resemblances,
    understood_links,
)
from .finder.presentation import (
    active_filters,
    explain_order,
    facet_groups,
    params_querydict,
    ways_out,
)
from .finder.query import FinderSearch
from .finder.rendering import CardWriter, facet_controls
from .finder.returning import back_to_results_url, from_results_query
from .finder.understanding import understand
from .finder.vocabularies import vocabularies
from .forms import DEFAULT_RADIUS_KM, RADIUS_CHOICES, FinderForm, clean_text
from .models import Therapist
from .reports import ReportForm, submit_report

# The vocabularies a profile lists under "Who they help and how", in order.
PROFILE_VOCABULARIES = (
    ("Specialties", "specialties"),
    ("Approaches", "approaches"),
    ("Age groups", "age_groups"),
    ("Languages", "languages"),
    ("Works with communities", "communities_served"),
    ("Identifies as", "communities_identifies"),
    ("Faith", "faiths"),
)
PROFILE_RELATIONS = (
    *(relation for _label, relation in PROFILE_VOCABULARIES),
    "insurance_plans",
    "telehealth_regions",
)


class CountedPaginator(Paginator):
    """A paginator told the count up front: the finder already has it from its aggregate."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count = count


class FinderView(ListView):
    """The public finder: a GET form whose every result page is a shareable URL."""

    template_name = "therapists/finder.html"
    context_object_name = "therapists"
    paginator_class = CountedPaginator

    def get_paginate_by(self, queryset):
        return settings.THERAPIST_FINDER_PER_PAGE

    def get(self, request, *args, **kwargs):
        self.vocabularies = vocabularies()
        self.form = FinderForm(request.GET, self.vocabularies)
        self.typed_params = self.form.params()
        # Words naming a filter or a place become that filter before the search is built.
        self.params, self.understanding = understand(self.typed_params, self.vocabularies)
        self.search = FinderSearch(self.params)
        self.summary = self.search.summary_counts()
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return CardPages(self.search)

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kw):
        return self.paginator_class(
            queryset,
            per_page,
            count=self.summary["total"],
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
        )

    def paginate_queryset(self, queryset, page_size):
        """Like ListView's, but a bad or too-high page number shows a page and says so."""
        paginator = self.get_paginator(queryset, page_size)
        raw = clean_text(self.request.GET.get(self.page_kwarg, "1"))[:20]
        try:
            number = int(raw)
        except ValueError:
            number = 1
            self.form.ignored.append(f"the page number “{raw}”")
        if number < 1 or number > paginator.num_pages:
            shown = paginator.num_pages if number > paginator.num_pages else 1
            self.form.ignored.append(f"page {number}, which does not exist; showing page {shown}")
            number = shown
        try:
            page = paginator.page(number)
        except InvalidPage:  # pragma: no cover - numbers are clamped above
            page = paginator.page(1)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.params
        total = self.summary["total"]
        counts = self.search.vocabulary_counts()
        query = params_querydict(params)
        filters = active_filters(params, query)
        groups = facet_groups(params, self.vocabularies, counts, self.summary)
        from_results = from_results_query(query, context["page_obj"].number)
        cards = CardWriter(from_results=from_results, fresh_cutoff=self.search.fresh_cutoff)
        context.update(
            form=self.form,
            params=params,
            total=total,
            summary=self.summary,
            order_explanation=explain_order(params),
            groups=groups,
            facet_controls=facet_controls(groups),
            result_cards=cards.cards(context["page_obj"].object_list),
            active_filters=filters,
            headline=headline(params, total, any(name != "q" for name in self.search.filters)),
            panel_active=panel_active(params),
            understanding=self.understanding,
            understood=understood_links(self.understanding, query),
            as_text_url=as_text_url(self.typed_params) if self.understanding.understood else "",
            resemblances=(
                resemblances(self.search, self.vocabularies, query)
                if not total and params.q
                else []
            ),
            query_string=query.urlencode(),
            finder_url=reverse("therapists:finder"),
            from_results=from_results,
            radius_choices=[(value, label) for value, label in RADIUS_CHOICES],
            selected_radius=params.radius_km or DEFAULT_RADIUS_KM,
            ignored=list(dict.fromkeys(self.form.ignored)),
            ways_out=ways_out(self.search, params, query) if total == 0 else [],
        )
        return context


class TherapistDetailView(DetailView):
    """A listing's profile, with the "report outdated information" form."""

    template_name = "therapists/therapist_detail.html"
    context_object_name = "therapist"

    def get_queryset(self):
        return Therapist.objects.listed().prefetch_related(*PROFILE_RELATIONS)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("report_form", ReportForm())
        kwargs["back_url"] = back_to_results_url(self.request.GET.get("from", ""))
        kwargs["vocabularies"] = [
            (label, getattr(self.object, relation).all())
            for label, relation in PROFILE_VOCABULARIES
        ]
        return super().get_context_data(**kwargs)


class ReportOutdatedInfoView(TherapistDetailView):
    """Store a reader's report, then redirect back to the profile (PRG).

    A GET (a bookmarked or reloaded form address) goes to the profile's form.
    """

    http_method_names = ["get", "head", "post"]

    def get(self, request, *args, **kwargs):
        return redirect(self.get_object().get_absolute_url() + "#report")

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        outcome = submit_report(request, self.object)
        if outcome.ok:
            messages.success(request, outcome.message)
            return redirect(self.object.get_absolute_url() + "#report")
        context = self.get_context_data(object=self.object, report_form=outcome.form)
        return self.render_to_response(context, status=outcome.http_status)
