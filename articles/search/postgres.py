"""PostgreSQL: weighted full-text search over the stored vectors (GIN-indexed).

Each part of the parsed query goes through ``websearch_to_tsquery`` (a phrase
as a quoted phrase), so readers get its syntax: "quoted phrase", -exclude, or.
The parts are combined here rather than in one websearch string so a synonym
can stand in place of the word it widens.
"""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, IntegerField, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat

from ..models import Article, Category
from .indexing import TEXT_SEARCH_CONFIG
from .models import SearchDocument
from .snippets import make_snippet
from .text import QueryItem

CATEGORY = Category._meta.db_table
THROUGH = Article.categories.through._meta.db_table
SETS = "articles_search_category_set"
# For results.summarise: its matches ``m`` counted per category, and kept to
# one. Each document carries the id of its set of category ids (migrations
# 0011 and 0014): the matches are grouped by that integer first, a few
# hundred sets for thousands of matches, so only those sets are unnested and
# joined.
FACETS = (
    "SELECT c.slug, c.name, SUM(g.n)::bigint AS n "  # noqa: S608
    "FROM (SELECT m.category_set, COUNT(*) AS n FROM m GROUP BY m.category_set) g "
    f"JOIN {SETS} s ON s.id = g.category_set "
    f"CROSS JOIN LATERAL unnest(s.category_ids) AS cid JOIN {CATEGORY} c ON c.id = cid "
    "GROUP BY c.slug, c.name"
)
IN_CATEGORY = (
    f"m.category_set IN (SELECT s.id FROM {SETS} s "  # noqa: S608
    f"WHERE (SELECT c.id FROM {CATEGORY} c WHERE c.slug = %s) = ANY (s.category_ids))"
)


class IndexedPhraseQuery(SearchQuery):
    """A phrase for matching: its stored lexeme when the phrase is listed, its tsquery
    otherwise (``article_search_phrase_query``, migration 0013, articles/search/phrases.py).

    Ranking keeps the phrase's own tsquery: ``rank_vector`` has no phrase lexemes.
    """

    def __init__(self, phrase: str, invert: bool = False):
        super().__init__(phrase, search_type="raw", invert=invert)
        self.function = "article_search_phrase_query"


def _alternative(words: tuple[str, ...], invert: bool = False, lexemes: bool = False):
    if len(words) > 1 and lexemes:
        return IndexedPhraseQuery(" ".join(words), invert=invert)
    text = words[0] if len(words) == 1 else '"' + " ".join(words) + '"'
    return SearchQuery(text, search_type="websearch", config=TEXT_SEARCH_CONFIG, invert=invert)


def to_tsquery(items: list[QueryItem], lexemes: bool = False) -> SearchQuery | None:
    """The query as a tsquery; ``lexemes``: phrases as ``IndexedPhraseQuery`` (matching)."""
    parts = []
    for item in items:
        if item.negated:
            # not (a or b) = not a and not b
            parts += [_alternative(words, True, lexemes) for words in item.alternatives]
            continue
        part = _alternative(item.alternatives[0], lexemes=lexemes)
        for words in item.alternatives[1:]:
            part = part | _alternative(words, lexemes=lexemes)
        parts.append(part)
    query = parts[0]
    for part in parts[1:]:
        query = query & part
    return query


def matching(documents, items: list[QueryItem]):
    return documents.filter(vector=to_tsquery(items, lexemes=True))


# More branches would multiply the work of ranking (each ranks its matches).
MAX_BRANCHES = 8


def branches(items: list[QueryItem]) -> list[list[QueryItem]]:
    """The query as several whose matches together are the query's matches.

    A tsquery with a phrase in it ("low mood", often brought in by a synonym)
    makes the GIN index ask for a recheck of every candidate, which reads
    each one's full vector (stored out of line) for positions. So an item's
    single words stay together in one branch, which the index answers
    exactly, and each of its phrases gets a branch of its own, rechecked on
    that phrase's candidates only.
    """
    result: list[list[QueryItem]] = [[]]
    for item in items:
        words = [a for a in item.alternatives if len(a) == 1]
        # A phrase that contains one of the item's words adds no match (every
        # article with "talking therapy" has "therapy"); ranking still weighs it.
        single = {a[0] for a in words}
        phrases = [a for a in item.alternatives if len(a) > 1 and not single.intersection(a)]
        if item.negated:
            result = [branch + [item] for branch in result]
        elif not words or not phrases or len(result) * (len(phrases) + 1) > MAX_BRANCHES:
            reduced = QueryItem(words + phrases)
            result = [branch + [reduced] for branch in result]
        else:
            # A phrase's branch leaves out what the words' branch and the
            # phrases before it found: the branches are disjoint, so the
            # search unites them without removing duplicates (UNION ALL), no
            # article is ranked twice and fewer candidates are rechecked.
            parts = [[QueryItem(words)]] + [
                [QueryItem([phrase]), QueryItem(words + phrases[:n], negated=True)]
                for n, phrase in enumerate(phrases)
            ]
            result = [branch + part for branch in result for part in parts]
    return result


def match_columns() -> dict:
    """Columns of each match that ``FACETS`` reads besides its id (a column the model lacks)."""
    column = f'"{SearchDocument._meta.db_table}"."category_set"'
    return {"category_set": RawSQL(column, (), output_field=IntegerField())}  # noqa: S611


def match_branches(documents, items: list[QueryItem]) -> list:
    """Querysets whose union is the matches of ``items`` (see ``branches``)."""
    return [matching(documents, branch) for branch in branches(items)]


def ranked(documents, items: list[QueryItem]):
    # Ranked by what the reader asked for, not what they excluded.
    query = to_tsquery([item for item in items if not item.negated])
    return documents.annotate(relevance=NormalisedRank(F("rank_vector"), query))


class NormalisedRank(SearchRank):
    """``ts_rank(rank_vector, query, 1)``, its length normalisation read from the row.

    ``ts_rank`` normalising by length counts the vector's positions for every
    match; ``rank_norm`` (migration 0014) holds the same divisor, log2 of one
    plus that count, and C's float division of the unnormalised rank by it
    is the same float as this SQL's.
    """

    template = (
        "(%(function)s(%(expressions)s)::double precision / "
        f'"{SearchDocument._meta.db_table}"."rank_norm")::real'
    )

    def __init__(self, vector, query):
        super().__init__(vector, query, normalization=Value(0))


def page_columns() -> dict:
    """The page's rows' annotations besides their snippet text: each one's categories.

    (slug, name) pairs by name, read with the rows instead of by a query of
    their own (``service.page_categories`` on SQLite).
    """
    pairs = (
        f"ARRAY(SELECT ARRAY[c.slug, c.name]::text[] FROM {THROUGH} t "  # noqa: S608
        f"JOIN {CATEGORY} c ON c.id = t.category_id "
        f'WHERE t.article_id = "{Article._meta.db_table}"."id" ORDER BY c.name)'
    )
    return {"category_pairs": RawSQL(pairs, (), output_field=ArrayField(ArrayField(TextField())))}  # noqa: S611


def with_snippet_text(articles, items: list[QueryItem]):
    """The page's rows with the text their snippets are picked from (``add_snippets``)."""
    return articles.annotate(
        snippet_body=F("search_document__body_text"),
        snippet_faqs=Concat(
            "search_document__faq_questions",
            Value("\n"),
            "search_document__faq_answers",
            output_field=TextField(),
        ),
    )


def add_snippets(articles, items: list[QueryItem]) -> None:
    """Snippets for one page of results (see articles/search/snippets.py)."""
    for article in articles:
        article.snippet = make_snippet([article.snippet_body, article.snippet_faqs], items)
