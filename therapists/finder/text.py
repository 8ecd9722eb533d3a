"""The finder's text search: full-text and trigram on PostgreSQL, substrings on SQLite."""

import re

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)

from . import names as name_table
from .codes import through

SEARCH_CONFIG = "english"
# A text search that is one plain ASCII word: the parser makes it one token.
ONE_WORD = re.compile(r"[A-Za-z]{1,60}")


def uses_postgres_search() -> bool:
    return connection.vendor == "postgresql"


def text_filter_and_rank(q: str) -> tuple[Q, object, "SimilarNames | None"]:
    """A WHERE clause matching the words in ``q``, a relevance expression, and
    (PostgreSQL) the listings whose names resemble ``q``, for the counts to reuse."""
    if uses_postgres_search():
        names = SimilarNames(q)
        return *_postgres_filter_and_rank(q, names), names
    return *_substring_filter_and_rank(q), None


def _postgres_filter_and_rank(q: str, names: "SimilarNames") -> tuple[Q, object]:
    query = SearchQuery(q, config=SEARCH_CONFIG, search_type="websearch")
    # Full-text for words anywhere; trigram word similarity for a
    # misspelled name ("Okafur" still finds "Okafor"). The names are matched
    # once per search, in a statement of their own on the table of distinct
    # names (``SimilarNames``, migration 0020), and listings tested against
    # the few names found: written as ``OR name %> q``, a common word made
    # the planner scan the table and compute the trigram similarity of every
    # name; as a subquery, the match ran again in every statement of the
    # request; as the matching listings' ids, every statement carried,
    # planned and probed thousands of ids (4,500 for a surname at 1,000,000).
    similar = _has_similar_name(names)
    condition = Q(search_vector=query) | Q(similar)
    # Likewise the similarity only counts for those names: the others
    # resemble the words too little to have matched on them.
    rank = SearchRank(F("search_vector"), query) + Case(
        When(similar, then=TrigramWordSimilarity(q, "name")),
        default=Value(0.0),
        output_field=FloatField(),
    )
    return condition, rank


def _substring_filter_and_rank(q: str) -> tuple[Q, object]:
    """SQLite: every word must appear in one of the searched fields; a match in
    the name counts most, then the practice, then anything else."""
    words = q.split()[:8]
    condition = Q()
    for word in words:
        condition &= (
            Q(name__icontains=word)
            | Q(practice_name__icontains=word)
            | Q(bio__icontains=word)
            | Q(pk__in=_ids_with_term_name("specialties", word))
            | Q(pk__in=_ids_with_term_name("approaches", word))
        )
    rank = Value(0.0, output_field=FloatField())
    for word in words:
        rank = (
            rank
            + Case(When(name__icontains=word, then=Value(3.0)), default=Value(0.0))
            + Case(When(practice_name__icontains=word, then=Value(2.0)), default=Value(0.0))
        )
    rank = rank + Case(When(name__icontains=q, then=Value(5.0)), default=Value(0.0))
    return condition, rank


class SimilarNames:
    """The distinct names with a word like ``q`` that listings have (any listing:
    the search's other conditions decide which are shown), matched in the
    names table (therapists/finder/names.py) when a statement first needs
    them, then kept for the search."""

    def __init__(self, q: str):
        self.q = q
        self._names: list[str] | None = None

    def __deepcopy__(self, memo) -> "SimilarNames":
        # Shared by every copy of the search's querysets: matched once.
        return self

    def names(self) -> list[str]:
        if self._names is None:
            self._names = name_table.similar(self.q)
        return self._names


class _Names(Value):
    """The matched names as one ``text[]`` parameter, read when the statement is compiled."""

    def __init__(self, names: SimilarNames):
        super().__init__(None, output_field=ArrayField(TextField()))
        self.names = names

    def as_sql(self, compiler, connection):
        return "%s::text[]", [self.names.names()]


def _has_similar_name(names: SimilarNames) -> Func:
    """``name = ANY(names)``: the listing's name is one the trigram match found."""
    return Func(
        F("name"),
        _Names(names),
        template="(%(expressions)s))",
        arg_joiner=" = ANY(",
        output_field=BooleanField(),
    )


def _ids_with_term_name(relation: str, word: str) -> QuerySet:
    model, column = through(relation)
    return model.objects.filter(**{f"{column}__name__icontains": word}).values("therapist_id")
