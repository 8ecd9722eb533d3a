"""PostgreSQL counts from the per-code bitmaps (migration 0019), for searches of codes only.

A search whose every filter is a set of codes (vocabulary terms, formats,
genders, accepting new clients since the freshness cutoff, sliding scale, a
maximum fee) is answered without reading a listing:

1. per chunk of ids, one bitmap per filter: the OR of its codes' bitmaps;
2. per pass, the AND of the listed bitmap and the bitmaps of the pass's
   filters (every filter but the pass's own group), per chunk, then joined
   into one bit string over every id (``string_agg``; a chunk with none of
   the codes is zeros);
3. each pass's count of a code is the population count of the code's bitmap
   AND the pass's bit string at that chunk (``substring``), summed over the
   chunks.

A pass's cost is so one AND and one population count of 512 bytes per
(code, chunk) it counts, whatever the number of listings matching it; the
listing counter (``listing_counts.py``) read every listing matching all
filters but one. Searches with text or a place still count their listings.
"""

from typing import TYPE_CHECKING

from .bitmaps import BITMAP_TABLE, CHUNK_BITS
from .codes import (
    ACCEPTING_GROUP,
    FORMAT_CODES,
    FORMAT_GROUP,
    GENDER_CODES,
    GENDER_GROUP,
    SLIDING_CODE,
    TERM_ID_BITS,
    TOTAL_CODE,
    VOCABULARY_GROUPS,
    accepting_codes,
    code,
    fee_codes,
)
from .online_counts import online_place
from .passes import Pass, PassCounter, Sql

if TYPE_CHECKING:
    from .query import FinderSearch

# The filters made of codes, and the group each multi-select one counts.
GROUPS = {
    **{group.key: group.number for group in VOCABULARY_GROUPS},
    "format": FORMAT_GROUP,
    "gender": GENDER_GROUP,
}
CODE_FILTERS = {*GROUPS, "accepting", "sliding_scale", "max_fee"}
ZEROS = f"repeat('0', {CHUNK_BITS})::varbit"


def answers(search: "FinderSearch") -> bool:
    """Whether every filter of the search is a set of codes the bitmaps hold."""
    return all(name in CODE_FILTERS or online_place(search, name) for name in search.filters)


class BitmapCounter(PassCounter):
    """The given passes, from the bitmaps of their filters' codes."""

    def __init__(self, search: "FinderSearch", passes: list[Pass]):
        self.search = search
        self.passes = passes
        self.names = list(search.filters)

    def sql(self) -> Sql:
        conditions = self._conditions()
        with_clause, with_params = self._masks(conditions)
        selects, params = [], []
        for pass_ in self.passes:
            select, select_params = self._counted(pass_)
            selects.append(select)
            params += select_params
        statement = (
            "SELECT counted.pass, counted.code, SUM(counted.listings) FROM ("  # noqa: S608
            f"{' UNION ALL '.join(selects)}) AS counted GROUP BY counted.pass, counted.code"
        )
        return Sql([statement], params, with_clause, with_params)

    def _conditions(self) -> list[tuple[str | None, list]]:
        """Per filter (in ``self.names`` order), the bitmap rows whose OR it is.

        None for "accepting": the fresh accepting days' OR, which every
        search reads anyway (for the "accepting" count).
        """
        p = self.search.params
        conditions = []
        for name in self.names:
            if name in GROUPS and name not in ("format", "gender"):
                group = next(g for g in VOCABULARY_GROUPS if g.key == name)
                conditions.append(("code = ANY(%s)", [[group.code(t.pk) for t in p.terms[name]]]))
            elif name == "format":
                conditions.append(("code = ANY(%s)", [[FORMAT_CODES[f] for f in p.formats]]))
            elif name == "gender":
                conditions.append(("code = ANY(%s)", [[GENDER_CODES[g] for g in p.genders]]))
            elif name == "accepting":
                conditions.append((None, []))
            elif name == "sliding_scale":
                conditions.append(("code = %s", [SLIDING_CODE]))
            elif name == "place":  # the online part of a search (online_counts.py)
                conditions.append(("code = %s", [FORMAT_CODES["online"]]))
            else:  # max_fee
                conditions.append(("code >= %s AND code < %s", list(fee_codes(p.max_fee))))
        return conditions

    def _accepting(self) -> tuple[int, int]:
        return accepting_codes(self.search.fresh_cutoff)

    def _masks(self, conditions: list[tuple[str | None, list]]) -> tuple[str, list]:
        """WITH: per chunk each filter's OR and each pass's AND, then each pass's bit string."""
        ors = [
            f"bit_or(bits) FILTER (WHERE {sql}) AS filter_{n}"
            for n, (sql, _) in enumerate(conditions)
            if sql is not None
        ]
        params = [param for _, condition_params in conditions for param in condition_params]
        wanted = " OR ".join(f"({sql})" for sql, _ in conditions if sql is not None)
        read = f"code = %s OR (code >= %s AND code < %s){' OR ' + wanted if wanted else ''}"
        read_params = [TOTAL_CODE, *self._accepting(), *params]
        chunks = (
            f"bitmap_chunk AS MATERIALIZED (SELECT chunk, "  # noqa: S608
            "bit_or(bits) FILTER (WHERE code = %s) AS listed, "
            "bit_or(bits) FILTER (WHERE code >= %s AND code < %s) AS fresh_accepting"
            f"{''.join(', ' + o for o in ors)} FROM {BITMAP_TABLE} WHERE {read} GROUP BY chunk)"
        )
        chunk_params = [TOTAL_CODE, *self._accepting(), *params, *read_params]
        ands = ", ".join(f"{self._and(pass_)} AS pass_{pass_.number}" for pass_ in self.passes)
        per_pass = (
            f"bitmap_pass_chunk AS MATERIALIZED (SELECT chunk, fresh_accepting, {ands} "  # noqa: S608
            "FROM bitmap_chunk)"
        )
        joined = ", ".join(
            f"string_agg(COALESCE(pass_{pass_.number}, {ZEROS})::text, '' "
            f"ORDER BY series.chunk)::varbit AS pass_{pass_.number}"
            for pass_ in self.passes
        )
        strings = (
            f"bitmap_pass AS MATERIALIZED (SELECT MAX(series.chunk) AS last_chunk, {joined} "  # noqa: S608
            "FROM generate_series(0, (SELECT MAX(chunk) FROM bitmap_chunk)) AS series (chunk) "
            "LEFT JOIN bitmap_pass_chunk ON bitmap_pass_chunk.chunk = series.chunk)"
        )
        return f"WITH {chunks}, {per_pass}, {strings} ", chunk_params

    def _and(self, pass_: Pass) -> str:
        """The listed listings matching every filter of the pass (all but its own)."""
        filters = [
            "fresh_accepting" if name == "accepting" else f"filter_{n}"
            for n, name in enumerate(self.names)
            if name != pass_.key
        ]
        return " & ".join(["listed", *filters])

    def _counted(self, pass_: Pass) -> tuple[str, list]:
        """``(pass, code, listings)`` per (code, chunk) the pass counts."""
        mask = (
            f"substring(bitmap_pass.pass_{pass_.number} "
            f"FROM bitmap.chunk * {CHUNK_BITS} + 1 FOR {CHUNK_BITS})"
        )
        select = (
            f"SELECT %s AS pass, bitmap.code, bit_count(bitmap.bits & {mask}) AS listings "  # noqa: S608
            f"FROM {BITMAP_TABLE} AS bitmap, bitmap_pass "
            "WHERE bitmap.chunk <= bitmap_pass.last_chunk AND "
        )
        if pass_.key is not None:
            return select + "bitmap.code >= %s AND bitmap.code < %s", [pass_.number, *pass_.codes]
        # Every code below the accepting days, but the groups counted by their
        # own passes (decode reads those there); accepting as one sum.
        own = [GROUPS[name] for name in self.names if name in GROUPS]
        accepting = (
            f"SELECT %s, %s::bigint, bit_count(fresh_accepting & pass_{pass_.number}) "  # noqa: S608
            "FROM bitmap_pass_chunk"
        )
        return (
            f"{select}bitmap.code < %s AND (bitmap.code >> {TERM_ID_BITS})::integer <> ALL(%s) "
            f"UNION ALL {accepting}",
            [pass_.number, code(ACCEPTING_GROUP, 0), own, pass_.number, self._accepting()[0]],
        )
