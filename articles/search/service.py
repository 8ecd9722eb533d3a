"""One article search, start to finish, in a fixed number of queries.

1. the number of matches (``count``);
2. spelling candidates, when the query has a word of four letters or more,
   and the number of matches of the corrected query when a word was corrected;
3. the category facet counts;
4. the ids of the shown page only, ranked (``page_ids``, run by the paginator);
5. the page of results and 6. their categories (prefetch).

Every step starts from ``SearchDocument.objects.published()``: the documents
carry the article's publishing and review state, so no step reads the article
table until the page's own rows. Only the page's matches are ordered past the
sort, and only its rows read the text their snippets come from.

Synonyms, crisis terms and the medication list come from the cache.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Case, Count, F, FloatField, IntegerField, Q, Value, When
from django.utils import timezone

from ..models import Article
from . import postgres, sqlite
from .crisis import signals_crisis
from .models import SearchDocument
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
    total: int = 0  # every match
    result_count: int = 0  # the matches in the chosen category (all without one)
    corrected_from: str = ""  # results are for ``query``, corrected from this
    suggestion: str = ""  # "Did you mean …?"
    crisis: bool = False
    facets: list[Facet] = field(default_factory=list)


def backend():
    return postgres if connection.vendor == "postgresql" else sqlite


def _matching(items: list[QueryItem]):
    return backend().matching(SearchDocument.objects.published(), items)


def search(query: str, category: str = "") -> SearchOutcome:
    outcome = SearchOutcome(query=query, category=category)
    items = parse_query(query)
    if not any(not item.negated for item in items):
        outcome.crisis = signals_crisis(query)
        return outcome
    outcome.items = expand(items)
    outcome.total = count(outcome.items)
    corrections = suggest(items)
    corrected = corrected_text(query, corrections) if corrections else ""
    if corrected:
        # Checked against published articles, so a suggestion never names a
        # word that only a draft contains.
        corrected_items = expand(parse_query(corrected))
        corrected_total = count(corrected_items)
        if corrected_total and outcome.total:
            outcome.suggestion = corrected
        elif corrected_total:
            outcome.corrected_from, outcome.query = query, corrected
            outcome.items, outcome.total = corrected_items, corrected_total
    outcome.crisis = signals_crisis(query, corrected)
    if not outcome.total:
        record_zero_result(query)
        return outcome
    outcome.facets = facets(outcome.items)
    if category:
        outcome.result_count = next((f.count for f in outcome.facets if f.slug == category), 0)
    else:
        outcome.result_count = outcome.total
    return outcome


def count(items: list[QueryItem]) -> int:
    return _matching(items).count()


def facets(items: list[QueryItem]) -> list[Facet]:
    """Matches per category, over the whole result: the match runs inside this one query."""
    rows = (
        Article.categories.through.objects.filter(article_id__in=_matching(items).values("pk"))
        .values("category__slug", "category__name")
        .annotate(matches=Count("article_id"))
        .order_by("-matches", "category__name")
    )
    return [Facet(row["category__slug"], row["category__name"], row["matches"]) for row in rows]


def page_ids(outcome: SearchOutcome, offset: int, limit: int) -> list[int]:
    """The ids of one page of matches, best first.

    Relevance times the review factor, then review state, newest, id: at equal
    relevance a current review comes before an overdue one.
    """
    matches = _matching(outcome.items)
    if outcome.category:
        members = Article.categories.through.objects.filter(category__slug=outcome.category)
        matches = matches.filter(pk__in=members.values("article_id"))
    ranked = (
        backend()
        .ranked(matches, outcome.items)
        .annotate(review_rank=review_order(), score=F("relevance") * review_factor())
        .order_by("-score", "review_rank", "-published_at", "-pk")
    )
    return list(ranked.values_list("pk", flat=True)[offset : offset + limit])


class RankedResults:
    """The matches as the paginator sees them: a length, and slices loaded one page at a time."""

    def __init__(self, outcome: SearchOutcome):
        self.outcome = outcome

    def __len__(self) -> int:
        return self.outcome.result_count

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, _ = index.indices(len(self))
            return page_ids(self.outcome, start, max(0, stop - start)) if stop > start else []
        return self[index : index + 1][0]


# Review states, in order: 0 current (due soon included), 1 overdue, 2 never reviewed.
REVIEW_FACTORS = {0: 1.0, 1: 0.85, 2: 0.8}


def _review_states(today: datetime.date) -> list[tuple[Q, int]]:
    """The conditions for states 2 and 1, first match wins; anything else is 0."""
    return [
        (Q(last_reviewed__isnull=True), 2),
        (Q(next_review_due__isnull=True), 2),
        (Q(next_review_due__lt=today), 1),
    ]


def review_order(today: datetime.date | None = None) -> Case:
    states = _review_states(today or timezone.localdate())
    return Case(
        *(When(condition, then=Value(rank)) for condition, rank in states),
        default=Value(0),
        output_field=IntegerField(),
    )


def review_factor(today: datetime.date | None = None) -> Case:
    states = _review_states(today or timezone.localdate())
    return Case(
        *(When(condition, then=Value(REVIEW_FACTORS[rank])) for condition, rank in states),
        default=Value(REVIEW_FACTORS[0]),
        output_field=FloatField(),
    )


def page_articles(outcome: SearchOutcome, ids: list[int]) -> list[Article]:
    """One page of results, in rank order, with snippets and categories."""
    rows = (
        backend()
        .with_snippet_text(Article.objects.published().filter(pk__in=ids), outcome.items)
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
