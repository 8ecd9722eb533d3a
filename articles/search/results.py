"""One statement per search for everything but the page's own rows.

The matches are found once, in a materialised common table expression, and
from it the same statement returns their number, their number per category
and the ids of the shown page in rank order; on PostgreSQL also the spelling
candidates of the query's words (``spelling.CANDIDATES``). Separate queries
would each run the full-text match again; on PostgreSQL a query with a phrase
("low mood", often brought in by a synonym) re-reads the full vector of every
candidate, so the match is the costly part (docs/search.md).

The SQL around the match is constant text; the match itself is compiled by
the ORM from ``SearchDocument.objects.published()``, every value a parameter,
on PostgreSQL once per query shape (``statements``). On PostgreSQL the
statement runs inside ``article_search_rows`` (migration 0012), whose
``SET enable_seqscan = off`` keeps the planner on the GIN index without a
transaction around the page.
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F

from . import statements
from .models import SearchDocument
from .review import review_factor, review_order
from .stop_words import phrases_as_words
from .text import QueryItem

TOTAL, FACET, PAGE, SPELLING = 0, 1, 2, 3
# Relevance times the review factor, then review state, newest, id.
RANK_ORDER = "ORDER BY m.score DESC, m.review_rank ASC, m.published_at DESC, m.pk DESC"
# Every row of a summary: kind, key, label, value, place (article_search_rows' columns).
NO_TEXT = "CAST(NULL AS TEXT)"


@dataclass
class Summary:
    total: int = 0
    facets: list[tuple[str, str, int]] = field(default_factory=list)  # slug, name, count
    page_ids: list[int] = field(default_factory=list)
    # {typed word: (in the vocabulary, nearest word or None)}, when asked for.
    spelling: dict[str, tuple[bool, str | None]] | None = None


def _matches(backend, items: list[QueryItem]) -> tuple[str, list]:
    """The SQL of every published match with its score columns (a UNION of branches)."""
    if connection.vendor == "postgresql":
        items = phrases_as_words(items)
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


def summarise(
    backend,
    items: list[QueryItem],
    category: str,
    offset: int,
    limit: int,
    spelling: tuple[str, list] | None = None,
) -> Summary:
    """Total, per-category counts and one page of ranked ids, in one statement.

    ``spelling``: the SQL and parameters of spelling candidates in the shape
    of ``spelling.CANDIDATES`` (word, nearest, known), returned in the same
    statement as ``Summary.spelling``.
    """
    matches, params = _matches(backend, items)
    in_category = ""
    if category:
        in_category = f"WHERE {backend.IN_CATEGORY}"
        params = params + [category, limit, offset]
    else:
        params = params + [limit, offset]
    sql = (
        f"WITH m AS MATERIALIZED ({matches}) "  # noqa: S608
        f"SELECT {TOTAL}, {NO_TEXT}, {NO_TEXT}, COUNT(*), CAST(0 AS BIGINT) FROM m "
        f"UNION ALL SELECT {FACET}, CAST(f.slug AS TEXT), CAST(f.name AS TEXT), "
        f"CAST(f.n AS BIGINT), CAST(0 AS BIGINT) FROM ({backend.FACETS}) f "
        # The page's order is numbered over its own rows: UNION ALL keeps no order.
        f"UNION ALL SELECT {PAGE}, {NO_TEXT}, {NO_TEXT}, m.pk, ROW_NUMBER() OVER ({RANK_ORDER}) "
        f"FROM (SELECT * FROM m {in_category} {RANK_ORDER} LIMIT %s OFFSET %s) m"
    )
    if spelling:
        sql += (
            f" UNION ALL SELECT {SPELLING}, s.word, s.nearest, s.known, CAST(0 AS BIGINT) "  # noqa: S608
            f"FROM ({spelling[0]}) s"
        )
        params += spelling[1]
    summary = Summary(spelling={} if spelling else None)
    page = []
    for kind, key, label, value, place in run(sql, params):
        if kind == TOTAL:
            summary.total = value
        elif kind == FACET:
            summary.facets.append((key, label, value))
        elif kind == PAGE:
            page.append((place, value))
        else:
            summary.spelling[key] = (bool(value), label)
    summary.page_ids = [pk for _, pk in sorted(page)]
    return summary


def page_ids(backend, items: list[QueryItem], category: str, offset: int, limit: int) -> list[int]:
    """Another page of the same search (a page number the first query did not know)."""
    return summarise(backend, items, category, offset, limit).page_ids


def has_matches(backend, items: list[QueryItem]) -> bool:
    matches, params = _matches(backend, items)
    sql = (
        f"SELECT {TOTAL}, {NO_TEXT}, {NO_TEXT}, "  # noqa: S608
        f"CAST(CASE WHEN EXISTS ({matches}) THEN 1 ELSE 0 END AS BIGINT), CAST(0 AS BIGINT)"
    )
    return bool(run(sql, params)[0][3])


def run(sql: str, params: list) -> list[tuple]:
    """A summary's rows; on PostgreSQL through ``article_search_rows`` (index scans only)."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(sql, params)
            return cursor.fetchall()
        # The driver quotes every value, as it does for any statement it sends.
        statement = cursor.mogrify(sql, params)
        if isinstance(statement, bytes):
            statement = statement.decode()  # Django's connections are UTF-8
        cursor.execute(
            "SELECT kind, key, label, value, place FROM article_search_rows(%s)", [statement]
        )
        return cursor.fetchall()
