"""PostgreSQL counts read from the listings themselves, for the passes no count table answers.

The listings matching any of the passes are read once into ``finder_listing``
(through the covering index when no text search is involved), each with a
flag per pass saying whether it matches that pass's filters: the passes
overlap heavily, each leaving out one filter of the same search. Only the
vocabulary terms are unnested and grouped, for the passes that count terms;
the other facets (result count, formats, genders, sliding scale, accepting)
are conditional counts over the listings, one row per listing rather than
one per code (docs/finder.md has what that saves).
"""

from typing import TYPE_CHECKING

from django.db.models import BooleanField, ExpressionWrapper, Q

from ..models import Therapist
from .codes import (
    FORMAT_CHOICES,
    FORMAT_CODES,
    GENDER_CODES,
    SLIDING_CODE,
    TOTAL_CODE,
    FinderTerms,
    accepting_codes,
)
from .passes import Pass, PassCounter, Sql

if TYPE_CHECKING:
    from .query import FinderSearch

# The listing columns the codes are made of (see codes.listing_codes_sql).
CODE_COLUMNS = (
    "in_person",
    "online",
    "gender",
    "sliding_scale",
    "availability",
    "availability_confirmed_on",
)


class ListingCounter(PassCounter):
    """The given passes, from one read of the listings any of them matches."""

    def __init__(self, search: "FinderSearch", passes: list[Pass]):
        self.search = search
        self.passes = passes
        self.single = len(passes) == 1

    def sql(self) -> Sql:
        with_clause, with_params, flags = self._listings()
        statements, params = [], []
        terms = self._term_counts(flags)
        if terms is not None:
            statements.append(terms[0])
            params += terms[1]
        facets, facet_params = self._facet_counts()
        statements.append(facets)
        params += facet_params
        return Sql(statements, params, with_clause, with_params)

    def _listings(self) -> tuple[str, list, list[str]]:
        """``WITH finder_listing``: the listings, their terms, code columns and pass flags."""
        flags = {}
        if self.single:
            key = self.passes[0].key
            queryset = self.search.base(without=[key] if key else ())
        else:
            any_pass = Q()
            for pass_ in self.passes:
                filters = self.search.filters.items()
                condition = Q(*[q for name, q in filters if name != pass_.key])
                flags[f"in_pass_{pass_.number}"] = ExpressionWrapper(
                    condition, output_field=BooleanField()
                )
                any_pass |= condition
            queryset = self.search.listed().filter(any_pass)
        inner, inner_params = (
            queryset.annotate(terms=FinderTerms(), **flags)
            .values("terms", *CODE_COLUMNS, *flags)
            .query.sql_with_params()
        )
        return f"WITH finder_listing AS MATERIALIZED ({inner}) ", list(inner_params), list(flags)

    def _in_pass(self, number: int, alias: str = "") -> str:
        return "TRUE" if self.single else f"{alias}in_pass_{number}"

    def _term_counts(self, flags: list[str]) -> tuple[str, list] | None:
        """Vocabulary terms: the all-filters pass and each vocabulary group's pass."""
        counts, wanted, pass_counts, params, wanted_params = [], [], [], [], []
        for pass_ in self.passes:
            if pass_.key in ("format", "gender"):
                continue
            condition = self._in_pass(pass_.number, "listing_code.")
            condition_params = []
            if pass_.codes is not None:
                condition += " AND listing_code.code >= %s AND listing_code.code < %s"
                condition_params = list(pass_.codes)
            counts.append(f"COUNT(*) FILTER (WHERE {condition}) AS listings_{pass_.number}")
            wanted.append(f"({condition})")
            params += condition_params
            wanted_params += condition_params
            pass_counts.append(f"({pass_.number}, counted.listings_{pass_.number})")
        if not counts:
            return None
        flag_columns = "".join(f", {flag}" for flag in flags)
        # unnest() in the select list (a ProjectSet) rather than a lateral
        # join, which is slower (docs/finder.md). The WHERE drops the codes no
        # pass counts before grouping.
        statement = (
            "SELECT pass_count.pass, counted.code, pass_count.listings FROM ("  # noqa: S608
            f"SELECT listing_code.code, {', '.join(counts)} FROM ("
            f"SELECT unnest(terms) AS code{flag_columns} FROM finder_listing"
            f") AS listing_code WHERE {' OR '.join(wanted)} "
            "GROUP BY listing_code.code) AS counted, "
            f"LATERAL (VALUES {', '.join(pass_counts)}) AS pass_count (pass, listings)"
        )
        return statement, params + wanted_params

    def _facet_counts(self) -> tuple[str, list]:
        """The other facets, as conditional counts over one row per listing."""
        columns, rows, params = [], [], []
        for number, code, condition, condition_params in self._facets():
            column = f"facet_{len(columns)}"
            where = self._in_pass(number) + (f" AND {condition}" if condition else "")
            columns.append(f"COUNT(*) FILTER (WHERE {where}) AS {column}")
            params += condition_params
            rows.append(f"({number}, {int(code)}::bigint, counted.{column})")
        statement = (
            "SELECT pass_count.pass, pass_count.code, pass_count.listings FROM ("  # noqa: S608
            f"SELECT {', '.join(columns)} FROM finder_listing) AS counted, "
            f"LATERAL (VALUES {', '.join(rows)}) AS pass_count (pass, code, listings)"
        )
        return statement, params

    def _facets(self):
        """``(pass, code, condition, params)`` for each non-vocabulary facet counted."""
        fresh_cutoff = self.search.fresh_cutoff
        for pass_ in self.passes:
            number, key = pass_.number, pass_.key
            if key is None:
                yield number, TOTAL_CODE, "", []
                yield number, SLIDING_CODE, "sliding_scale", []
                # Under the first code of the accepting range, which the
                # summary sums over.
                yield (
                    number,
                    accepting_codes(fresh_cutoff)[0],
                    "availability = %s AND availability_confirmed_on >= %s",
                    [Therapist.Availability.ACCEPTING.value, fresh_cutoff],
                )
            if key in (None, "format"):
                for value, _label in FORMAT_CHOICES:
                    yield number, FORMAT_CODES[value], value, []
            if key in (None, "gender"):
                for value, code in GENDER_CODES.items():
                    yield number, code, "gender = %s", [value]
