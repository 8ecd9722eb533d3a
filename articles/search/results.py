"""One query per search for everything but the page's own rows.

The matches are found once, in a materialised common table expression, and
from it the same query returns their number, their number per category and the
ids of the shown page in rank order. Three separate queries would each run the
full-text match again; on PostgreSQL a query with a phrase ("low mood", often
brought in by a synonym) re-reads the full vector of every candidate, so the
match is the costly part (docs/search.md).

The SQL around the match is constant text; the match itself is compiled by
the ORM from ``SearchDocument.objects.published()``, every value a parameter,
on PostgreSQL once per query shape (``statements``).
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F

from . import statements
from .models import SearchDocument
from .review import review_factor, review_order
from .text import QueryItem

TOTAL, FACET, PAGE = 0, 1, 2
# Relevance times the review factor, then review state, newest, id.
RANK_ORDER = "ORDER BY m.score DESC, m.review_rank ASC, m.published_at DESC, m.pk DESC"


@dataclass
class Summary:
    total: int = 0
    facets: list[tuple[str, str, int]] = field(default_factory=list)  # slug, name, count
    page_ids: list[int] = field(default_factory=list)


def _matches(backend, items: list[QueryItem]) -> tuple[str, list]:
    """The SQL of every published match with its score columns (a UNION of branches)."""
    if connection.vendor == "postgresql":
        return statements.matches(items, lambda query: _compile(backend, query))
    return _compile(backend, items)


def _compile(backend, items: list[QueryItem]) -> tuple[str, list]:
    extra = backend.match_columns()
    branches = [
        backend.ranked(queryset, items)
        .annotate(review_rank=review_order(), score=F("relevance") * review_factor(), **extra)
        .values("pk", "published_at", "review_rank", "score", *extra)
        for queryset in backend.match_branches(SearchDocument.objects.published(), items)
    ]
    # The backends' branches are disjoint (postgres.branches): nothing to deduplicate.
    combined = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
    sql, params = combined.query.sql_with_params()
    return sql, list(params)


def summarise(backend, items: list[QueryItem], category: str, offset: int, limit: int) -> Summary:
    """Total, per-category counts and one page of ranked ids, in one query."""
    matches, params = _matches(backend, items)
    in_category = ""
    if category:
        in_category = f"WHERE {backend.IN_CATEGORY}"
        page_params = [category, limit, offset]
    else:
        page_params = [limit, offset]
    sql = (
        f"WITH m AS MATERIALIZED ({matches}) "  # noqa: S608
        f"SELECT {TOTAL}, NULL, NULL, COUNT(*), 0 FROM m "
        f"UNION ALL SELECT {FACET}, f.slug, f.name, f.n, 0 FROM ({backend.FACETS}) f "
        # The page's order is numbered over its own rows: UNION ALL keeps no order.
        f"UNION ALL SELECT {PAGE}, NULL, NULL, m.pk, ROW_NUMBER() OVER ({RANK_ORDER}) FROM ("
        f"SELECT * FROM m {in_category} {RANK_ORDER} LIMIT %s OFFSET %s) m"
    )
    summary = Summary()
    with connection.cursor() as cursor:
        cursor.execute(sql, params + page_params)
        page = []
        for kind, slug, name, value, position in cursor.fetchall():
            if kind == TOTAL:
                summary.total = value
            elif kind == FACET:
                summary.facets.append((slug, name, value))
            else:
                page.append((position, value))
    summary.page_ids = [pk for _, pk in sorted(page)]
    return summary


def page_ids(backend, items: list[QueryItem], category: str, offset: int, limit: int) -> list[int]:
    """Another page of the same search (a page number the first query did not know)."""
    return summarise(backend, items, category, offset, limit).page_ids


def has_matches(backend, items: list[QueryItem]) -> bool:
    matches, params = _matches(backend, items)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT EXISTS ({matches})", params)  # noqa: S608
        return bool(cursor.fetchone()[0])
