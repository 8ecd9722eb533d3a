"""One article search, start to finish, in a fixed number of queries.

1. the match count (all categories);
2. spelling candidates, when the query has a word of four letters or more,
   and the match count of the corrected query when a word was corrected;
3. the category facet counts;
4. the page of results and 5. their categories (prefetch).

Synonyms, crisis terms and the medication list come from the cache.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Case, Count, F, FloatField, IntegerField, Value, When
from django.utils import timezone

from ..models import Article
from . import postgres, sqlite
from .crisis import signals_crisis
from .spelling import corrected_text, suggest
from .synonyms import expand
from .text import QueryItem, parse_query
from .zero_results import record_zero_result


@dataclass
class Facet:
    slug: str
    name: str
    count: int


@dataclass
class SearchOutcome:
    query: str
    category: str = ""
    items: list[QueryItem] = field(default_factory=list)
    total: int = 0
    corrected_from: str = ""  # results are for ``query``, corrected from this
    suggestion: str = ""  # "Did you mean …?"
    crisis: bool = False
    facets: list[Facet] = field(default_factory=list)

    @property
    def result_count(self) -> int:
        if not self.category:
            return self.total
        return next((f.count for f in self.facets if f.slug == self.category), 0)


def backend():
    return postgres if connection.vendor == "postgresql" else sqlite


def _matching(items: list[QueryItem]):
    return backend().matching(Article.objects.published(), items)


def search(query: str, category: str = "") -> SearchOutcome:
    outcome = SearchOutcome(query=query, category=category)
    items = parse_query(query)
    if not any(not item.negated for item in items):
        outcome.crisis = signals_crisis(query)
        return outcome
    outcome.items = expand(items)
    outcome.total = _matching(outcome.items).count()
    corrections = suggest(items)
    corrected = corrected_text(query, corrections) if corrections else ""
    if corrected:
        # Checked against published articles, so a suggestion never names a
        # word that only a draft contains.
        corrected_items = expand(parse_query(corrected))
        corrected_total = _matching(corrected_items).count()
        if corrected_total and outcome.total:
            outcome.suggestion = corrected
        elif corrected_total:
            outcome.corrected_from, outcome.query = query, corrected
            outcome.items, outcome.total = corrected_items, corrected_total
    outcome.crisis = signals_crisis(query, corrected)
    if outcome.total == 0:
        record_zero_result(query)
        return outcome
    outcome.facets = facets(outcome.items)
    return outcome


def facets(items: list[QueryItem]) -> list[Facet]:
    rows = (
        _matching(items)
        .filter(categories__isnull=False)
        .order_by()
        .values("categories__slug", "categories__name")
        .annotate(matches=Count("pk", distinct=True))
        .order_by("-matches", "categories__name")
    )
    return [Facet(row["categories__slug"], row["categories__name"], row["matches"]) for row in rows]


def review_order(today: datetime.date | None = None) -> Case:
    """0 for a current review (due soon included), 1 overdue, 2 never reviewed."""
    today = today or timezone.localdate()
    return Case(
        When(last_reviewed__isnull=True, then=Value(2)),
        When(next_review_due__isnull=True, then=Value(2)),
        When(next_review_due__lt=today, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


REVIEW_FACTORS = {0: 1.0, 1: 0.85, 2: 0.8}


def results(outcome: SearchOutcome):
    """The ranked articles for the results page (slice it for a page)."""
    queryset = _matching(outcome.items)
    if outcome.category:
        queryset = queryset.filter(categories__slug=outcome.category)
    order = review_order()
    factor = Case(
        *(When(review_rank=rank, then=Value(f)) for rank, f in REVIEW_FACTORS.items()),
        output_field=FloatField(),
    )
    return (
        backend()
        .ranked(queryset, outcome.items)
        .annotate(review_rank=order)
        .annotate(score=F("relevance") * factor)
        .order_by("-score", "review_rank", "-published_at", "-pk")
        .defer("body", "body_html", "toc", "reviewed_sensitive_text")
        .prefetch_related("categories")
    )


def per_page() -> int:
    return settings.ARTICLES_PER_PAGE
