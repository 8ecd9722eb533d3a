"""Shared by the PostgreSQL count tests: a search as the form reads it, its counts
compared with plain counts of the listings, and the one statement that counted it."""

from django.http import QueryDict

from therapists.finder.counts import AggregateCounts
from therapists.finder.query import FinderSearch, load_vocabularies
from therapists.forms import FinderForm


def search_for(query: str) -> FinderSearch:
    """The finder's search for a query string, as the view builds it."""
    return FinderSearch(FinderForm(QueryDict(query), load_vocabularies()).params())


def assert_counts_are_plain(search: FinderSearch) -> None:
    """The search's counts, however made, equal the aggregate and relation-table counts
    SQLite uses (straight from the listings)."""
    plain = AggregateCounts(search)
    assert search.summary_counts() == plain.summary_from_aggregate()
    assert search.vocabulary_counts() == plain.vocabulary_from_relations()


def counted_in_one_statement(search: FinderSearch, django_assert_num_queries) -> tuple[str, dict]:
    """The SQL of the one statement that counts the search, and its summary counts."""
    with django_assert_num_queries(1) as captured:
        summary = search.summary_counts()
    return captured.captured_queries[0]["sql"], summary
