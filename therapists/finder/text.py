"""The finder's text search: full-text and trigram on PostgreSQL, substrings on SQLite."""

import re

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
    Value,
    When,
)

from ..models import Therapist
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
    # misspelled name ("Okafur" still finds "Okafor"). Both use GIN indexes.
    # The names are matched once per search, in a statement of their own
    # (``SimilarNames``, on first use), and listings tested against the ids: written
    # as ``OR name %> q``, a common word made the planner scan the table
    # and compute the trigram similarity of every name; as a subquery, the
    # match ran again in every statement of the request (3-4 times).
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
    """The ids of the listings with a name word like ``q`` (any listing: the
    search's other conditions decide which are shown), read through the
    trigram index when a statement first needs them, then kept for the search."""

    def __init__(self, q: str):
        self.q = q
        self._ids: list[int] | None = None

    def __deepcopy__(self, memo) -> "SimilarNames":
        # Shared by every copy of the search's querysets: matched once.
        return self

    def ids(self) -> list[int]:
        if self._ids is None:
            names = Therapist.objects.order_by().filter(name__trigram_word_similar=self.q)
            self._ids = list(names.values_list("pk", flat=True))
        return self._ids


class _Ids(Value):
    """The matched ids as one array parameter, read when the statement is compiled."""

    def __init__(self, names: SimilarNames):
        super().__init__(None, output_field=ArrayField(BigIntegerField()))
        self.names = names

    def as_sql(self, compiler, connection):
        return "%s", [self.names.ids()]


def _has_similar_name(names: SimilarNames) -> Func:
    """``id = ANY(ids)``: one array parameter, however many names matched."""
    return Func(
        F("pk"),
        _Ids(names),
        template="(%(expressions)s))",
        arg_joiner=" = ANY(",
        output_field=BooleanField(),
    )


def _ids_with_term_name(relation: str, word: str) -> QuerySet:
    model, column = through(relation)
    return model.objects.filter(**{f"{column}__name__icontains": word}).values("therapist_id")
