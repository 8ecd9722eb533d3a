"""The finder's text search: full-text and trigram on PostgreSQL, substrings on SQLite."""

import re

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import BooleanField, Case, F, FloatField, Func, Q, QuerySet, Value, When

from ..models import Therapist
from .codes import through

SEARCH_CONFIG = "english"
# A text search that is one plain ASCII word: the parser makes it one token.
ONE_WORD = re.compile(r"[A-Za-z]{1,60}")


def uses_postgres_search() -> bool:
    return connection.vendor == "postgresql"


def text_filter_and_rank(q: str) -> tuple[Q, object]:
    """A WHERE clause matching the words in ``q`` and a relevance expression."""
    if uses_postgres_search():
        return _postgres_filter_and_rank(q)
    return _substring_filter_and_rank(q)


def _postgres_filter_and_rank(q: str) -> tuple[Q, object]:
    query = SearchQuery(q, config=SEARCH_CONFIG, search_type="websearch")
    # Full-text for words anywhere; trigram word similarity for a
    # misspelled name ("Okafur" still finds "Okafor"). Both use GIN indexes.
    # The names are matched once, up front (an InitPlan), and listings
    # tested against their ids: written as ``OR name %> q``, a common
    # word (matching a quarter of the listings) made the planner scan
    # the table and compute the trigram similarity of every name.
    condition = Q(search_vector=query) | Q(_has_similar_name(q))
    # Likewise the similarity only counts for those names: the others
    # resemble the words too little to have matched on them.
    rank = SearchRank(F("search_vector"), query) + Case(
        When(_has_similar_name(q), then=TrigramWordSimilarity(q, "name")),
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


def _has_similar_name(q: str) -> Func:
    """``id = ANY(ARRAY(ids of listings with a name word like q))``: the names matched once."""
    names = Therapist.objects.order_by().filter(name__trigram_word_similar=q).values("pk")
    return Func(
        F("pk"),
        ArraySubquery(names),
        template="(%(expressions)s))",
        arg_joiner=" = ANY(",
        output_field=BooleanField(),
    )


def _ids_with_term_name(relation: str, word: str) -> QuerySet:
    model, column = through(relation)
    return model.objects.filter(**{f"{column}__name__icontains": word}).values("therapist_id")
