"""SQLite (the embedded default): FTS5 with the porter stemmer, ranked by bm25.

The FTS5 table ``articles_search_fts`` (migration 0008) holds the same six
parts as the search document, one row per article (rowid = article id).
The raw SQL below is constant text; the reader's query is always a bound
parameter (an FTS5 expression whose every token is quoted).
"""

from django.db.models import FloatField, TextField
from django.db.models.expressions import RawSQL

from ..models import Article, Category
from .indexing import FTS_TABLE
from .text import QueryItem

THROUGH = Article.categories.through._meta.db_table
CATEGORY = Category._meta.db_table
# For results.summarise: its matches ``m`` counted per category, and kept to one.
FACETS = (
    f"SELECT c.slug, c.name, COUNT(*) AS n FROM m "  # noqa: S608
    f"JOIN {THROUGH} t ON t.article_id = m.pk JOIN {CATEGORY} c ON c.id = t.category_id "
    "GROUP BY c.slug, c.name"
)
IN_CATEGORY = (
    f"m.pk IN (SELECT t.article_id FROM {THROUGH} t "  # noqa: S608
    f"JOIN {CATEGORY} c ON c.id = t.category_id WHERE c.slug = %s)"
)

# Column weights for bm25, in the table's column order: title, summary,
# headings, FAQ questions, body, FAQ answers.
BM25_WEIGHTS = "10.0, 4.0, 2.0, 2.0, 1.0, 1.0"


def page_columns() -> dict:
    """Nothing besides the snippet text: the page's categories are a query of their own."""
    return {}


def _quote(words: tuple[str, ...]) -> str:
    # Words hold letters and apostrophes only (text.parse_query), never a quote.
    return '"' + " ".join(words) + '"'


def _group(item: QueryItem) -> str:
    return "(" + " OR ".join(_quote(words) for words in item.alternatives) + ")"


def to_match(items: list[QueryItem], column: str = "") -> str:
    """An FTS5 MATCH expression: every token quoted, so no input is a syntax error.

    With ``column``, only the query's positive part, in that column.
    """
    positive = " AND ".join(_group(item) for item in items if not item.negated)
    if column:
        return f"{column} : ({positive})"
    negative = " OR ".join(_group(item) for item in items if item.negated)
    return f"({positive}) NOT ({negative})" if negative else positive


def matching(documents, items: list[QueryItem]):
    sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
    return documents.filter(pk__in=RawSQL(sql, [to_match(items)]))  # noqa: S611


def match_columns() -> dict:
    """Columns of each match that ``FACETS`` reads besides its id: none."""
    return {}


def match_branches(documents, items: list[QueryItem]) -> list:
    """One queryset: FTS5 has no recheck to avoid (compare postgres.match_branches)."""
    return [matching(documents, items)]


def _per_row(expression: str, row_id: str) -> str:
    return (
        f"(SELECT {expression} FROM {FTS_TABLE} "  # noqa: S608
        f"WHERE {FTS_TABLE} MATCH %s AND rowid = {row_id})"
    )


DOCUMENT_ID = '"articles_searchdocument"."article_id"'
ARTICLE_ID = '"articles_article"."id"'


def ranked(documents, items: list[QueryItem]):
    # bm25 is lower for better matches, so it is negated (higher is better, as
    # on PostgreSQL). On a small site most words occur in half the articles,
    # where bm25 says little, so a match in the title or the summary counts
    # on its own as well.
    bm25 = _per_row(f"-bm25({FTS_TABLE}, {BM25_WEIGHTS})", DOCUMENT_ID)
    relevance = (
        f"IFNULL({bm25}, 0)"
        f" + IFNULL({_per_row('2.0', DOCUMENT_ID)}, 0)"
        f" + IFNULL({_per_row('1.0', DOCUMENT_ID)}, 0)"
    )
    params = [to_match(items), to_match(items, "title"), to_match(items, "summary")]
    return documents.annotate(
        relevance=RawSQL(relevance, params, output_field=FloatField()),  # noqa: S611
    )


def with_snippet_text(articles, items: list[QueryItem]):
    """The page's rows with their snippets, made by FTS5 in the same query."""
    return articles.annotate(
        snippet=RawSQL(  # noqa: S611
            # From the body (column 4): the title and summary are shown anyway.
            _per_row(f"snippet({FTS_TABLE}, 4, char(2), char(3), ' … ', 24)", ARTICLE_ID),
            [to_match(items)],
            output_field=TextField(),
        ),
    )


def add_snippets(articles, items: list[QueryItem]) -> None:
    """FTS5 made the snippets in the page's query (``with_snippet_text``)."""
