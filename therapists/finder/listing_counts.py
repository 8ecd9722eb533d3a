"""PostgreSQL counts read from the listings themselves, for the passes no count table answers.

The passes of one search overlap heavily: each leaves out one filter (a
multi-select group's own) of the same search. So the listings are read once,
and each one is classed by which of those groups' filters it fails:

- ``fails = 0``: it matches every filter, so it counts in every pass, under
  all its codes;
- ``fails = n``: it fails only pass ``n``'s own filter, so it counts in pass
  ``n`` only, and only under that group's codes;
- failing two or more, it counts nowhere and is not read further.

Each listing then unnests only the codes it can count under: all of them
(``therapists_finder_codes``, migration 0009, which lists them sorted) when
it matches everything, else the slice of its group's codes, found in the
sorted array by binary search (``width_bucket``). One GROUP BY ``(fails,
code)`` gives every count, and a join with the passes' code ranges sums them
per pass. A listing failing one filter (most of the listings read, for a
search with three or four filters) so unnests its 2-4 codes of one group
instead of all its ~20, and no per-pass flag is tested on each code.
"""

from typing import TYPE_CHECKING

from django.contrib.postgres.fields.array import ArrayOverlap
from django.db.models import BooleanField, ExpressionWrapper, Q

from . import statements
from .codes import (
    ACCEPTING_GROUP,
    CODE_COLUMNS,
    VOCABULARY_GROUPS,
    FinderTerms,
    accepting_codes,
    code,
    listing_codes_sql,
)
from .passes import Pass, PassCounter, Sql

if TYPE_CHECKING:
    from .query import FinderSearch

# Above every code (codes.py numbers the groups below 2**31).
ALL_CODES = (0, 1 << 62)


def _is_vocabulary(pass_: Pass) -> bool:
    return any(group.key == pass_.key for group in VOCABULARY_GROUPS)


def _slice(array: str, codes: tuple[int, int]) -> str:
    """The elements ``low <= code < high`` of a sorted array, found by binary search."""
    low, high = codes
    return (
        f"{array}[width_bucket({low - 1}::bigint, {array}) + 1:"
        f"width_bucket({high - 1}::bigint, {array})]"
    )


class ListingCounter(PassCounter):
    """The given passes, from one read of the listings any of them matches."""

    def __init__(self, search: "FinderSearch", passes: list[Pass]):
        self.search = search
        self.passes = passes
        # The passes that leave a filter out, each tested once per listing.
        self.keyed = [pass_ for pass_ in passes if pass_.key is not None]

    def sql(self) -> Sql:
        candidates, params = self._candidates()
        fails = " ".join(
            f"WHEN NOT candidate.match_{pass_.number} THEN {pass_.number}" for pass_ in self.keyed
        )
        failing = " + ".join(f"(NOT candidate.match_{pass_.number})::int" for pass_ in self.keyed)
        vocabulary = [pass_ for pass_ in self.keyed if _is_vocabulary(pass_)]
        slices = "".join(
            f" WHEN {pass_.number} THEN "
            + _slice(f"listing.{'finder_terms' if pass_ in vocabulary else 'codes'}", pass_.codes)
            for pass_ in self.keyed
        )
        counted = "listing.codes"
        if slices:
            counted = f"CASE listing.fails{slices} ELSE listing.codes END"
        # All its codes, built for a listing that fails no vocabulary filter.
        fails_vocabulary = " OR ".join(
            f"NOT candidate.match_{pass_.number}" for pass_ in vocabulary
        )
        codes = listing_codes_sql("candidate")
        if fails_vocabulary:
            codes = f"CASE WHEN {fails_vocabulary} THEN NULL ELSE {codes} END"
        ranges, range_params = self._pass_ranges()
        # OFFSET 0 keeps each subquery a step of its own, so each filter is
        # tested, and the codes built, once per listing.
        statement = (
            "SELECT pass_range.pass, grouped.code, SUM(grouped.listings) FROM ("  # noqa: S608
            "SELECT listing_code.fails, listing_code.code, COUNT(*) AS listings FROM ("
            f"SELECT listing.fails, unnest({counted}) AS code FROM ("
            f"SELECT CASE {fails or 'WHEN FALSE THEN -1'} ELSE 0 END AS fails, "
            f"candidate.finder_terms, {codes} AS codes "
            f"FROM ({candidates} OFFSET 0) AS candidate WHERE {failing or '0'} <= 1 OFFSET 0"
            ") AS listing) AS listing_code "
            "GROUP BY listing_code.fails, listing_code.code) AS grouped "
            f"JOIN (VALUES {ranges}) AS pass_range (pass, fails, low, high) "
            "ON grouped.fails = pass_range.fails AND grouped.code >= pass_range.low "
            "AND grouped.code < pass_range.high GROUP BY pass_range.pass, grouped.code"
        )
        return Sql([statement], [*params, *range_params])

    def _candidates(self) -> tuple[str, list]:
        """The listings matching every filter no pass leaves out, with their codes and
        whether they match each left-out filter (compiled once per shape: statements.py)."""
        keys = tuple(pass_.key for pass_ in self.passes)
        return statements.compiled(
            ("candidates", keys),
            self.search,
            lambda search: ListingCounter(search, self.passes)._candidates_sql(),
        )

    def _candidates_sql(self) -> tuple[str, list]:
        left_out = {pass_.key for pass_ in self.keyed}
        filters = self.search.filters
        common = [q for name, q in filters.items() if name not in left_out]
        matches = {
            f"match_{pass_.number}": ExpressionWrapper(
                Q(filters[pass_.key]), output_field=BooleanField()
            )
            for pass_ in self.keyed
        }
        queryset = self.search.listed().filter(*common, *self._any_vocabulary(left_out))
        sql, params = (
            queryset.annotate(finder_terms=FinderTerms(), **matches)
            .values(*CODE_COLUMNS, *matches)
            .query.sql_with_params()
        )
        return sql, list(params)

    def _any_vocabulary(self, left_out: set[str]) -> list[Q]:
        """With two or more vocabulary filters left out in turn, a listing failing at
        most one has a term of at least one of them: a condition the terms' GIN
        index can answer, for the planner to use or not."""
        codes = []
        for group in VOCABULARY_GROUPS:
            if group.key in left_out:
                codes += [group.code(term.pk) for term in self.search.params.terms[group.key]]
        vocabulary_keys = [group.key for group in VOCABULARY_GROUPS if group.key in left_out]
        if len(vocabulary_keys) < 2:
            return []
        return [Q(ArrayOverlap(FinderTerms(), codes))]

    def _pass_ranges(self) -> tuple[str, list]:
        """``(pass, fails, low, high)``: which grouped rows each pass sums."""
        rows, params = [], []
        for pass_ in self.passes:
            if pass_.key is None:
                # Every code but the stale "accepting" days, which no count reads.
                low, _high = accepting_codes(self.search.fresh_cutoff)
                ranges = [(ALL_CODES[0], code(ACCEPTING_GROUP, 0)), (low, ALL_CODES[1])]
                for range_low, range_high in ranges:
                    rows.append("(%s, 0, %s::bigint, %s::bigint)")
                    params += [pass_.number, range_low, range_high]
                continue
            for fails in (0, pass_.number):
                rows.append("(%s, %s, %s::bigint, %s::bigint)")
                params += [pass_.number, fails, *pass_.codes]
        return ", ".join(rows), params
