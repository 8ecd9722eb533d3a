"""PostgreSQL counts, pass by pass: which table answers each pass, and what the rows mean.

A pass counts, per code, the listings matching every filter but at most one
(a multi-select group's own). A pass with no filter, or with one filter that
is a code or a set of codes no listing has two of (one term, one format, any
genders, accepting new clients, sliding scale), reads the co-occurrence
counts (``PairCounter``): for the unfiltered and the one-filter searches, the
commonest, a few hundred rows instead of the codes of tens of thousands of
listings. A pass whose only filter is a one-word text search reads the word
counts (``WordCounter``). The other passes read the listings they match, all
in one read of them (``ListingCounter``).
"""

import abc
import dataclasses
from typing import TYPE_CHECKING

from django.db import connection

from ..models import Therapist
from .codes import (
    FORMAT_CHOICES,
    FORMAT_CODES,
    FORMAT_GROUP,
    GENDER_CODES,
    GENDER_GROUP,
    SLIDING_CODE,
    TOTAL_CODE,
    VOCABULARY_GROUPS,
    accepting_codes,
    group_range,
    listing_codes_sql,
)
from .online_counts import online_place
from .tables import FinderPair, FinderWordPair
from .text import SEARCH_CONFIG

if TYPE_CHECKING:
    from .query import FinderSearch
    from .text import SimilarNames

# The count tables of migrations 0009 and 0011, read with raw SQL below.
FINDER_PAIR_TABLE = FinderPair._meta.db_table
FINDER_WORD_PAIR_TABLE = FinderWordPair._meta.db_table


@dataclasses.dataclass(frozen=True)
class Pass:
    """One count of the search: every filter but ``key``'s, counting ``codes`` (all if None)."""

    number: int
    key: str | None
    codes: tuple[int, int] | None


@dataclasses.dataclass
class Sql:
    """Statements giving ``(pass, code, listings)`` rows, and a WITH clause they read."""

    statements: list[str]
    params: list
    with_clause: str = ""
    with_params: list = dataclasses.field(default_factory=list)


class PassCounter(abc.ABC):
    """Counts the listings of one or more passes, per code, in SQL."""

    @abc.abstractmethod
    def sql(self) -> Sql: ...


def multi_select_passes(search: "FinderSearch") -> list[Pass]:
    """The pass of every filter, then one per multi-select group with a selection."""
    groups = [
        *((group.key, group.number) for group in VOCABULARY_GROUPS),
        ("format", FORMAT_GROUP),
        ("gender", GENDER_GROUP),
    ]
    keyed = [(key, group_range(number)) for key, number in groups if key in search.filters]
    return [Pass(number, key, codes) for number, (key, codes) in enumerate([(None, None), *keyed])]


def pair_condition(search: "FinderSearch", filter_names: list[str]) -> tuple[str, list] | None:
    """The co-occurrence rows that count the listings matching ``filter_names``, if any do.

    Rows ``(a, b)`` with ``a`` in a set of codes count, for each ``b``, the
    listings matching the filter that set stands for, provided no listing
    has two codes of the set (else it would count twice).
    """
    p = search.params
    if not filter_names:
        return "a = %s", [TOTAL_CODE]
    if len(filter_names) > 1:
        return None
    name = filter_names[0]
    if online_place(search, name):
        return "a = %s", [FORMAT_CODES["online"]]
    group = next((g for g in VOCABULARY_GROUPS if g.key == name), None)
    if group is not None:
        selected = p.terms.get(name, [])
        return ("a = %s", [group.code(selected[0].pk)]) if len(selected) == 1 else None
    if name == "format" and len(set(p.formats)) == 1:
        return "a = %s", [FORMAT_CODES[p.formats[0]]]
    if name == "gender":  # one gender per listing
        return "a = ANY(%s)", [[GENDER_CODES[value] for value in set(p.genders)]]
    if name == "accepting":  # one confirmation day per listing
        return "a >= %s AND a < %s", list(accepting_codes(search.fresh_cutoff))
    if name == "sliding_scale":
        return "a = %s", [SLIDING_CODE]
    return None


class PairCounter(PassCounter):
    """A pass answered by the co-occurrence counts of migration 0009."""

    def __init__(self, pass_: Pass, condition: str, condition_params: list):
        self.pass_ = pass_
        self.condition = condition
        self.condition_params = condition_params

    def sql(self) -> Sql:
        statement = (
            f"SELECT %s, b, SUM(listings) FROM {FINDER_PAIR_TABLE} "  # noqa: S608
            f"WHERE {self.condition}"
        )
        params = [self.pass_.number, *self.condition_params]
        if self.pass_.codes is not None:
            statement += " AND b >= %s AND b < %s"
            params += list(self.pass_.codes)
        return Sql([statement + " GROUP BY b"], params)


class WordCounter(PassCounter):
    """A pass whose only filter is a one-word text search, from the word counts.

    The listings the search matches are those whose ``search_vector`` has
    the word's lexeme (counted, per code, in the word table of migration
    0011) and those with a name like the word (one of the search's similar
    names, migration 0020; few, unnested here) that do not have it.
    """

    def __init__(self, pass_: Pass, word: str, names: "SimilarNames"):
        self.pass_ = pass_
        self.word = word
        # The search's own name matches: the trigram match runs once a request.
        self.names = names

    def sql(self) -> Sql:
        table = connection.ops.quote_name(Therapist._meta.db_table)
        q = self.word
        code_range, range_params = "", []
        if self.pass_.codes is not None:
            code_range = " AND code >= %s AND code < %s"
            range_params = list(self.pass_.codes)
        # One ASCII word gives the same lexeme (or none, for a stop word)
        # through to_tsvector as through websearch_to_tsquery.
        statement = (
            f"SELECT %s, word_count.code, SUM(word_count.listings) FROM ("  # noqa: S608
            f"SELECT code, listings FROM {FINDER_WORD_PAIR_TABLE} WHERE word = ANY("
            "tsvector_to_array(to_tsvector(%s::regconfig, %s)))"
            f"{code_range} "
            f"UNION ALL SELECT code, 1 FROM (SELECT unnest({listing_codes_sql('listing')}) "
            f"AS code FROM {table} AS listing WHERE listing.is_published "
            "AND listing.name = ANY(%s::text[]) AND NOT COALESCE(listing.search_vector @@ "
            "websearch_to_tsquery(%s::regconfig, %s), FALSE)) AS extra "
            f"WHERE TRUE{code_range}) AS word_count GROUP BY word_count.code"
        )
        params = [self.pass_.number, SEARCH_CONFIG, q, *range_params]
        params += [self.names.names(), SEARCH_CONFIG, q, *range_params]
        return Sql([statement], params)


def decode(search: "FinderSearch", passes: list[Pass], rows) -> dict[str, dict]:
    """``(pass, code, listings)`` rows as the summary and vocabulary counts.

    A group's counts come from its own pass when it has one, else from the
    pass of every filter.
    """
    by_pass: list[dict[int, int]] = [{} for _ in passes]
    for number, code, listings in rows:
        if listings:
            # Two counters' rows add up for a search counted in parts (online_counts.py).
            by_pass[number][code] = by_pass[number].get(code, 0) + int(listings)
    own = {pass_.key: by_pass[pass_.number] for pass_ in passes if pass_.key}
    everything = by_pass[0]
    low, high = accepting_codes(search.fresh_cutoff)
    summary = {
        "total": everything.get(TOTAL_CODE, 0),
        "accepting": sum(n for code, n in everything.items() if low <= code < high),
        "sliding_scale": everything.get(SLIDING_CODE, 0),
    }
    for value, _label in FORMAT_CHOICES:
        summary[f"format:{value}"] = own.get("format", everything).get(FORMAT_CODES[value], 0)
    for value, _label in Therapist.Gender.choices:
        summary[f"gender:{value}"] = own.get("gender", everything).get(GENDER_CODES[value], 0)
    vocabulary: dict[str, dict[int, int]] = {}
    for group in VOCABULARY_GROUPS:
        first, last = group.code_range()
        vocabulary[group.key] = {
            code - first: n
            for code, n in own.get(group.key, everything).items()
            if first <= code < last
        }
    return {"summary": summary, "vocabulary": vocabulary}
