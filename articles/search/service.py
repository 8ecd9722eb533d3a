"""One article search, start to finish, in a fixed number of queries.

1. the matches: their number, their number per category and the ids of the
   shown page, ranked, in one statement (``results.summarise``), with, on
   PostgreSQL, the spelling candidates of the query's words of four letters
   or more (a query of its own on SQLite);
2. when a word was corrected, whether the corrected query finds anything
   (or, when the typed one found nothing, its summary);
3. the page of results, with their categories on PostgreSQL (a query of
   its own on SQLite, ``page_categories``).

Every match starts from ``SearchDocument.objects.published()``: the documents
carry the article's publishing and review state, so nothing reads the article
table until the page's own rows, and only those read the text their snippets
come from. Synonyms, crisis terms and the medication list come from the cache.
"""

from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.db import connection

from ..models import Article, Category
from . import postgres, results, sqlite, statements
from .crisis import signals_crisis
from .review import review_order
from .spelling import candidates_statement, corrected_text, suggest, words_to_check
from .synonyms import expand
from .text import QueryItem, parse_query
from .zero_results import record_zero_result

THROUGH = Article.categories.through._meta.db_table
CATEGORY = Category._meta.db_table
# What a result shows (cards.result_card); the ordering reads published_at.
RESULT_FIELDS = (
    "title",
    "slug",
    "summary",
    "published_at",
    "last_reviewed",
    "next_review_due",
    "changed_since_review",
)


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
    page_offset: int = 0
    page_ids: list[int] = field(default_factory=list)  # the asked-for page, best first
    corrected_from: str = ""  # results are for ``query``, corrected from this
    suggestion: str = ""  # "Did you mean …?"
    crisis: bool = False
    facets: list[Facet] = field(default_factory=list)


def backend():
    return postgres if connection.vendor == "postgresql" else sqlite


def search(query: str, category: str = "", page: int = 1) -> SearchOutcome:
    """Search, with the ids of results page ``page`` (``RankedResults`` loads any other)."""
    outcome = SearchOutcome(query=query, category=category)
    items = parse_query(query)
    if not any(not item.negated for item in items):
        outcome.crisis = signals_crisis(query)
        return outcome
    outcome.items = expand(items)
    outcome.page_offset = (max(page, 1) - 1) * per_page()
    summary = _summarise(outcome, candidates_statement(words_to_check(items)))
    corrections = suggest(items, summary.spelling)
    corrected = corrected_text(query, corrections) if corrections else ""
    if corrected:
        summary = _apply_correction(outcome, summary, corrected)
    outcome.crisis = signals_crisis(query, corrected)
    if not summary.total:
        record_zero_result(query)
        return outcome
    outcome.total = summary.total
    outcome.facets = [
        Facet(slug, name, count)
        for slug, name, count in sorted(summary.facets, key=lambda f: (-f[2], f[1]))
    ]
    if category:
        outcome.result_count = next((f.count for f in outcome.facets if f.slug == category), 0)
    else:
        outcome.result_count = outcome.total
    outcome.page_ids = summary.page_ids
    return outcome


def _apply_correction(
    outcome: SearchOutcome, summary: results.Summary, corrected: str
) -> results.Summary:
    """Offer the corrected query, or show its results when the typed one found nothing.

    Checked against published articles, so a suggestion never names a word
    that only a draft contains.
    """
    corrected_items = expand(parse_query(corrected))
    if summary.total:
        if results.has_matches(backend(), corrected_items):
            outcome.suggestion = corrected
        return summary
    trial = SearchOutcome(query=corrected, category=outcome.category, items=corrected_items)
    trial.page_offset = outcome.page_offset
    corrected_summary = _summarise(trial)
    if not corrected_summary.total:
        return summary
    outcome.corrected_from, outcome.query = outcome.query, corrected
    outcome.items = corrected_items
    return corrected_summary


def _summarise(outcome: SearchOutcome, spelling=None) -> results.Summary:
    return results.summarise(
        backend(), outcome.items, outcome.category, outcome.page_offset, per_page(), spelling
    )


class RankedResults:
    """The matches as the paginator sees them: a length, and slices of ranked ids.

    The page the search was asked for came with its summary; any other page
    (``?page=last``) is loaded when the paginator slices it.
    """

    def __init__(self, outcome: SearchOutcome):
        self.outcome = outcome

    def __len__(self) -> int:
        return self.outcome.result_count

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _ = index.indices(len(self))
        outcome = self.outcome
        if stop <= start:
            return []
        if start == outcome.page_offset and stop - start <= per_page():
            return outcome.page_ids[: stop - start]
        return results.page_ids(backend(), outcome.items, outcome.category, start, stop - start)


def page_articles(outcome: SearchOutcome, ids: list[int]) -> list[Article]:
    """One page of results, in rank order, with snippets and categories (``page_categories``).

    Only the columns a result shows are loaded (``cards.result_card``).
    """
    by_pk = {article.pk: article for article in _page_rows(outcome, ids)}
    articles = [by_pk[pk] for pk in ids if pk in by_pk]
    if connection.vendor == "postgresql":
        categories = {
            pk: [PageCategory(*pair) for pair in article.category_pairs]
            for pk, article in by_pk.items()
        }
    else:
        categories = page_categories(list(by_pk))
    for article in articles:
        article.page_categories = categories.get(article.pk, [])
    backend().add_snippets(articles, outcome.items)
    return articles


def _page_rows(outcome: SearchOutcome, ids: list[int]):
    def rows(pks: list[int]):
        return (
            backend()
            .with_snippet_text(Article.objects.published().filter(pk__in=pks), outcome.items)
            .annotate(review_rank=review_order(), **backend().page_columns())
            .only(*RESULT_FIELDS)
        )

    if connection.vendor != "postgresql" or len(set(ids)) != len(ids):
        return rows(ids)
    # The statement's SQL compiled once per page length (articles/search/statements.py).
    sql, params = statements.rows("page", ids, lambda pks: rows(pks).query.sql_with_params())
    return Article.objects.raw(sql, params)


class PageCategory(NamedTuple):
    slug: str
    name: str


def page_categories(ids: list[int]) -> dict[int, list[PageCategory]]:
    """Each article's categories, by name, in one query (SQLite; PostgreSQL reads
    them with the page's rows, ``postgres.page_columns``).

    Plain rows rather than a prefetch: building model instances and the
    prefetch's queryset cost more than the query (about 1.3 ms a page).
    """
    if not ids:
        return {}
    placeholders = ", ".join(["%s"] * len(ids))
    found: dict[int, list[PageCategory]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t.article_id, c.slug, c.name FROM {THROUGH} t "  # noqa: S608
            f"JOIN {CATEGORY} c ON c.id = t.category_id "
            f"WHERE t.article_id IN ({placeholders}) ORDER BY c.name",
            ids,
        )
        for article_id, slug, name in cursor.fetchall():
            found.setdefault(article_id, []).append(PageCategory(slug, name))
    return found


def per_page() -> int:
    return settings.ARTICLES_PER_PAGE
