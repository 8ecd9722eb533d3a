"""The SQL of a search's matches, compiled by the ORM once per query shape (PostgreSQL).

Compiling the matches queryset (the published filter, one full-text match per
branch, rank and review expressions) cost the bench process several
milliseconds a page, more than some searches spend in the database. The SQL
text depends only on the query's shape: how many items and alternatives,
which are negated, phrases of how many words, and which words repeat (the
branches group alternatives by word). So the query is compiled once with
every word replaced by a numbered marker, and later queries of the same
shape reuse that SQL with their own words, the current time and today's date
put back into the parameters: always bound, never written into the SQL.

A shape is only kept after its first use showed that the markers' SQL with
the real words bound is exactly what the ORM compiles for the real query;
anything else (a parameter that is neither a word, the time, the date nor a
constant) is compiled afresh every time.
"""

import datetime
import re
from collections.abc import Callable

from django.utils import timezone

from .text import QueryItem

MARK = "\x01"  # never in a parsed word: parse_query keeps only word characters
MARKED = re.compile(MARK + r"(\d+)" + MARK)
MAX_SHAPES = 512
# Ids stand in as negative numbers (no row has one) within a 32-bit column's range.
ID_MARK, MAX_IDS = -(2**30), 10_000
WHOLE, TEXT, NOW, TODAY, CONSTANT = range(5)

_shapes: dict = {}  # shape -> (sql, parameter template)

Compile = Callable[[list[QueryItem]], tuple[str, list]]


def matches(items: list[QueryItem], compile_sql: Compile) -> tuple[str, list]:
    """``compile_sql(items)``, from the shape's SQL when this shape was compiled before."""
    masked, words = _masked(items)
    shape = ("matches",) + tuple((item.negated, tuple(item.alternatives)) for item in masked)
    return _kept(shape, words, lambda: compile_sql(items), lambda: compile_sql(masked))


def rows(name: str, ids: list[int], compile_sql: Callable[[list], tuple[str, list]]):
    """``compile_sql(ids)`` for a statement whose only varying values are ``ids`` (distinct)."""
    marked = [ID_MARK + n for n in range(len(ids))]
    return _kept((name, len(ids)), ids, lambda: compile_sql(ids), lambda: compile_sql(marked))


def _kept(shape: tuple, words: list, compile_real, compile_marked) -> tuple[str, list]:
    known = _shapes.get(shape)
    if known is not None:
        sql, template = known
        return sql, _bind(template, words, timezone.now(), timezone.localdate())
    sql, params = compile_real()
    marked_sql, marked_params = compile_marked()
    template = _template(marked_sql, marked_params)
    if template is not None and marked_sql == sql and _same(template, words, params):
        if len(_shapes) >= MAX_SHAPES:
            _shapes.clear()  # rare; plain dict operations stay safe between threads
        _shapes[shape] = (sql, template)
    return sql, params


def _masked(items: list[QueryItem]) -> tuple[list[QueryItem], list[str]]:
    """The query with each distinct word replaced by its number between markers, and the words."""
    numbers: dict[str, int] = {}
    masked = [
        QueryItem(
            [
                tuple(f"{MARK}{numbers.setdefault(word, len(numbers))}{MARK}" for word in words)
                for words in item.alternatives
            ],
            item.negated,
        )
        for item in items
    ]
    return masked, list(numbers)


def _template(sql: str, params: list) -> list | None:
    """What each parameter of the markers' SQL is, or None when one cannot be told."""
    if MARK in sql:
        return None
    template, times, dates = [], set(), set()
    for value in params:
        if type(value) is int and ID_MARK <= value < ID_MARK + MAX_IDS:
            template.append((WHOLE, value - ID_MARK))
        elif isinstance(value, str) and MARK in value:
            template.append((TEXT, value))
        elif isinstance(value, datetime.datetime):
            template.append((NOW, None))
            times.add(value)
        elif isinstance(value, datetime.date):
            template.append((TODAY, None))
            dates.add(value)
        elif value is None or isinstance(value, int | float | str):
            template.append((CONSTANT, value))
        else:
            return None
    # One "now" (published) and one "today" (review state) in the whole statement.
    return template if len(times) <= 1 and len(dates) <= 1 else None


def _bind(template: list, words: list[str], now, today) -> list:
    def word(match: re.Match) -> str:
        return words[int(match.group(1))]

    params = []
    for kind, value in template:
        if kind == WHOLE:
            params.append(words[value])
        elif kind == TEXT:
            params.append(MARKED.sub(word, value))
        elif kind == NOW:
            params.append(now)
        elif kind == TODAY:
            params.append(today)
        else:
            params.append(value)
    return params


def _same(template: list, words: list[str], params: list) -> bool:
    now = next((p for p in params if isinstance(p, datetime.datetime)), None)
    dates = (p for p in params if type(p) is datetime.date)
    return _bind(template, words, now, next(dates, None)) == list(params)
