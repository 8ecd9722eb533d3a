"""The SQL of the finder's statements, compiled by the ORM once per search shape (PostgreSQL).

Building and compiling a search's querysets (the filters, the distance
expression, the page's two stages, the counts' candidates) cost several
milliseconds of Python a request, more than the simple searches spend in the
database. The SQL text depends only on the search's shape (which filters,
how many formats and genders, which vocabulary groups, the order, the
page's slice): the values (the point, the box, the cells, the cutoff date,
the fee, the codes, the words) are all bound parameters. So each statement
of a shape is compiled by the ORM, then kept as its SQL and a template that
says, for each parameter, which named value of the search it is (``values``)
or that it is a constant; later searches of the shape bind their own values.

The template is learnt, not written by hand: on a shape's first use the
statement is compiled twice, for the search and for a copy of it with every
named value changed (``_perturbed``). The two SQL texts must be equal; a
parameter equal in both is a constant, one that equals the same named value
in each compile is that value; anything else (a value not named here, a
shape that changed with the values) and the shape is not kept, so that
search compiles with the ORM as before. What is kept therefore reproduces,
for both compiles, exactly the SQL and parameters the ORM gave.

Place names (region spellings and LIKE patterns depend on the words),
wide circles (the antimeridian's boxes) and SQLite are always compiled.
"""

import dataclasses
import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import connection

from .codes import VOCABULARY_GROUPS
from .geo import CELL_DEGREES, box_cells, circle_values
from .text import uses_postgres_search

if TYPE_CHECKING:
    from .query import FinderParams, FinderSearch

MAX_SHAPES = 512
CONSTANT, NAMED = 0, 1
# What the perturbed copy of a search adds to its term pks, fee and distances.
# Degrees: a cell and a half, so that every cell list of the copy differs.
OTHER_PK, OTHER_KM, OTHER_DEGREES = 10**9, 0.001, 1.5 * CELL_DEGREES

Build = Callable[["FinderSearch"], tuple[str, list]]

_kept: dict[tuple, tuple[str, list]] = {}  # (statement, shape) -> (sql, template)


def compiled(
    statement: tuple,
    search: "FinderSearch",
    build: Build,
    extra: Callable[["FinderSearch"], dict] | None = None,
) -> tuple[str, list]:
    """``build(search)``: the SQL and parameters of one of the search's statements,
    from the kept SQL of its shape when there is one (see the module).

    ``extra``: values the statement binds besides the search's own (``values``),
    by name, for the search and for its perturbed copy alike.
    """

    def named(each: "FinderSearch") -> dict[str, object]:
        return values(each) | (extra(each) if extra else {})

    shape = search_shape(search)
    if shape is None:
        sql, params = build(search)
        return sql, list(params)
    key = (statement, shape)
    known = _kept.get(key)
    if known is not None:
        sql, template = known
        return sql, bind(template, named(search))
    sql, params = build(search)
    params = list(params)
    other = _perturbed(search)
    other_sql, other_params = build(other)
    if other_sql == sql:
        template = _template(params, list(other_params), named(search), named(other))
        if template is not None:
            if len(_kept) >= MAX_SHAPES:
                _kept.clear()  # rare; plain dict operations stay safe between threads
            _kept[key] = (sql, template)
    return sql, params


def search_shape(search: "FinderSearch") -> tuple | None:
    """What the SQL text of the search's statements depends on, or None to always compile."""
    p = search.params
    if not uses_postgres_search() or p.location:
        return None
    if p.near and box_cells(p.latitude, p.longitude, p.radius_km) is None:
        return None
    return (
        tuple(search.filters),
        tuple(p.formats),
        len(p.genders),
        tuple((key, len(terms)) for key, terms in sorted(p.terms.items()) if terms),
        p.near,
        p.include_online,
        p.online_part,
        p.max_fee is None,
        p.effective_sort,
    )


def values(search: "FinderSearch") -> dict[str, object]:
    """Every value of the search that its statements bind, by name."""
    from .nearest import RING_FRACTION  # nearest imports query, which imports the counters

    p = search.params
    named: dict[str, object] = {"fresh_cutoff": search.fresh_cutoff}
    if p.q:
        named["q"] = p.q
        named["similar_names"] = search.similar_names.names()
    if p.near:
        named.update(circle_values("circle", p.latitude, p.longitude, p.radius_km))
        ring = p.radius_km * RING_FRACTION
        named.update(circle_values("ring", p.latitude, p.longitude, ring, split=False))
    if p.max_fee is not None:
        named["max_fee"] = p.max_fee
    for number, gender in enumerate(p.genders):
        named[f"gender:{number}"] = gender
    for group in VOCABULARY_GROUPS:
        if terms := p.terms.get(group.key):
            # ArrayOverlap writes each code as a parameter of its own (ARRAY[%s, ...]).
            for number, term in enumerate(terms):
                named[f"term:{group.key}:{number}"] = group.code(term.pk)
    return named


def bind(template: list, named: dict[str, object]) -> list:
    return [named[value] if kind == NAMED else value for kind, value in template]


def _same(a, b) -> bool:
    return type(a) is type(b) and a == b


def _template(params: list, other_params: list, named: dict, other_named: dict) -> list | None:
    """Each parameter as a constant or a named value, or None when one cannot be told.

    Only the values the copy changed can be told from constants (a circle with
    no inside cells has an empty list in both): a parameter equal to one that
    did not change is not told, and the shape is not kept.
    """
    if len(params) != len(other_params) or named.keys() != other_named.keys():
        return None
    changed = [name for name in named if not _same(named[name], other_named[name])]
    unchanged = [named[name] for name in named if name not in changed]
    template = []
    for param, other in zip(params, other_params, strict=True):
        names = [
            name
            for name in changed
            if _same(named[name], param) and _same(other_named[name], other)
        ]
        if len(names) == 1:
            template.append((NAMED, names[0]))
        elif not names and _same(param, other) and not any(_same(v, param) for v in unchanged):
            template.append((CONSTANT, param))
        else:
            return None
    return template


def _perturbed(search: "FinderSearch") -> "FinderSearch":
    """The same search with every named value changed (the shape kept)."""
    from .query import FinderSearch, Term

    p: FinderParams = search.params
    changed = dataclasses.replace(
        p,
        q=p.q and f"{p.q} other",
        latitude=None if p.latitude is None else p.latitude + OTHER_DEGREES,
        longitude=None if p.longitude is None else p.longitude + OTHER_DEGREES,
        radius_km=p.radius_km + OTHER_KM,
        max_fee=None if p.max_fee is None else p.max_fee + 1,
        genders=[f"other-{number}" for number in range(len(p.genders))],
        terms={
            key: [Term(term.pk + OTHER_PK, term.slug, term.name) for term in terms]
            for key, terms in p.terms.items()
        },
    )
    other = FinderSearch(changed, today=search.fresh_cutoff + datetime.timedelta(days=1))
    if other.similar_names is not None:
        other.similar_names._names = [f"{name} other" for name in search.similar_names.names()]
        other.similar_names._names = other.similar_names._names or ["other"]
    return other


def clear() -> None:
    """Forget every kept statement (tests)."""
    _kept.clear()


def execute(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
