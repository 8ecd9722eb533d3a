"""One article search, start to finish, in a fixed number of queries.

1. the ids of every match, ranked (``ranked_ids``);
2. spelling candidates, when the query has a word of four letters or more,
   and the ranked ids of the corrected query when a word was corrected;
3. the category facet counts (and, with a category chosen, its members);
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
    ids: list[int] = field(default_factory=list)  # every match, best first
    ranked_ids: list[int] = field(default_factory=list)  # the same, in the chosen category
    corrected_from: str = ""  # results are for ``query``, corrected from this
    suggestion: str = ""  # "Did you mean …?"
    crisis: bool = False
    facets: list[Facet] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.ids)

    @property
    def result_count(self) -> int:
        return len(self.ranked_ids)


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
    outcome.ids = ranked_ids(outcome.items)
    corrections = suggest(items)
    corrected = corrected_text(query, corrections) if corrections else ""
    if corrected:
        # Checked against published articles, so a suggestion never names a
        # word that only a draft contains.
        corrected_items = expand(parse_query(corrected))
        corrected_ids = ranked_ids(corrected_items)
        if corrected_ids and outcome.ids:
            outcome.suggestion = corrected
        elif corrected_ids:
            outcome.corrected_from, outcome.query = query, corrected
            outcome.items, outcome.ids = corrected_items, corrected_ids
    outcome.crisis = signals_crisis(query, corrected)
    if not outcome.ids:
        record_zero_result(query)
        return outcome
    outcome.facets = facets(outcome.ids)
    outcome.ranked_ids = in_category(outcome.ids, category) if category else outcome.ids
    return outcome


def ranked_ids(items: list[QueryItem]) -> list[int]:
    """Every published match, best first: one query, whose rows are only ids.

    The count, the category counts and the page all start from this list, so
    the full-text match runs once per search however many articles match.
    """
    factor = Case(
        *(When(review_rank=rank, then=Value(f)) for rank, f in REVIEW_FACTORS.items()),
        output_field=FloatField(),
    )
    ranked = (
        backend()
        .ranked(_matching(items), items)
        .annotate(review_rank=review_order())
        .annotate(score=F("relevance") * factor)
        .order_by("-score", "review_rank", "-published_at", "-pk")
    )
    return list(ranked.values_list("pk", flat=True))


def facets(ids: list[int]) -> list[Facet]:
    rows = (
        Article.categories.through.objects.filter(article_id__in=ids)
        .values("category__slug", "category__name")
        .annotate(matches=Count("article_id"))
        .order_by("-matches", "category__name")
    )
    return [Facet(row["category__slug"], row["category__name"], row["matches"]) for row in rows]


def in_category(ids: list[int], slug: str) -> list[int]:
    members = set(
        Article.categories.through.objects.filter(
            article_id__in=ids, category__slug=slug
        ).values_list("article_id", flat=True)
    )
    return [pk for pk in ids if pk in members]


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


def page_articles(outcome: SearchOutcome, ids: list[int]) -> list[Article]:
    """One page of results, in rank order, with snippets and categories."""
    rows = (
        backend()
        .ranked(Article.objects.filter(pk__in=ids), outcome.items)
        .annotate(review_rank=review_order())
        .defer("body", "body_html", "toc", "reviewed_sensitive_text")
        .prefetch_related("categories")
    )
    by_pk = {article.pk: article for article in rows}
    articles = [by_pk[pk] for pk in ids if pk in by_pk]
    backend().add_snippets(articles, outcome.items)
    return articles


def per_page() -> int:
    return settings.ARTICLES_PER_PAGE
