"""Where a cold finder request's time goes: SQL, the view's Python, the template.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h2_finder_100k \\
        .venv/bin/python bench/finder_split.py [--runs 10] [--no-settle] \\
        [--profile N] [--json split.json]

The same searches as bench/finder_bench.py, on a database it has already
seeded, rendered in-process the same way (RequestFactory into FinderView,
DEBUG off, no middleware, counts cache cleared before each request). Each
request is split three ways:

- SQL: the time spent inside the database cursor's ``execute`` (timed with
  ``connection.execute_wrapper`` and ``perf_counter``, so fractions of a
  millisecond count; psycopg's client-side cursors fetch every row inside
  ``execute``, so this includes sending the rows);
- view: everything else before ``response.render()`` (forms, reading the
  words, building querysets, turning rows into models, presentation);
- render: ``response.render()`` less any SQL run during it.

"non-SQL" = view + render: the cost this bench is for (the finder's
"render floor"). Figures are medians over ``--runs`` interleaved rounds,
with the load average before and after. ``--profile N`` instead runs N
cold rounds of every search under cProfile and prints the top functions.

Before and after a change, under the same load: run this script alternately
from two checkouts (``--json`` each run), then
``bench/finder_split.py --compare 'before-*.json' 'after-*.json'`` prints,
per search, the median over the runs of each side and their ratio.
"""

import argparse
import cProfile
import glob
import pstats
import statistics
import sys
import time

import bench_results
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from finder_bench import Search, searches  # noqa: E402 (sets Django up)
from finder_prep import settle  # noqa: E402
from inprocess import plain_storages  # noqa: E402
from sql_timer import SQLTimer  # noqa: E402
from stats import load_average as load  # noqa: E402


def split_once(search: Search) -> tuple[float, float, float, int]:
    """One cold request: (SQL ms, view ms without SQL, render ms without SQL, statements)."""
    cache.clear()
    timer = SQLTimer()
    with connection.execute_wrapper(timer):
        started = time.perf_counter()
        response = search.view(search.factory.get(search.path))
        viewed = time.perf_counter()
        sql_view = timer.seconds
        response.render()
        finished = time.perf_counter()
    sql_render = timer.seconds - sql_view
    view = (viewed - started) - sql_view
    render = (finished - viewed) - sql_render
    return timer.seconds * 1000, view * 1000, render * 1000, timer.statements


def timed(runs: list[Search], rounds: int) -> dict:
    samples: dict[str, list[tuple[float, float, float, int]]] = {s.label: [] for s in runs}
    for _ in range(rounds):
        for search in runs:
            samples[search.label].append(split_once(search))
    return samples


def report(samples: dict) -> dict:
    print(
        f"{'search (cold, median ms)':<56} {'stmts':>5} {'SQL':>7} {'view':>7} "
        f"{'render':>7} {'non-SQL':>8} {'total':>7}"
    )
    figures = {}
    for label, rows in samples.items():
        sql = statistics.median(row[0] for row in rows)
        view = statistics.median(row[1] for row in rows)
        render = statistics.median(row[2] for row in rows)
        non_sql = statistics.median(row[1] + row[2] for row in rows)
        total = statistics.median(row[0] + row[1] + row[2] for row in rows)
        statements = rows[0][3]
        figures[label] = {
            "sql": sql,
            "view": view,
            "render": render,
            "non_sql": non_sql,
            "total": total,
        }
        print(
            f"{label:<56} {statements:>5} {sql:>7.1f} {view:>7.1f} {render:>7.1f} "
            f"{non_sql:>8.1f} {total:>7.1f}"
        )
    every_non_sql = [row[1] + row[2] for rows in samples.values() for row in rows]
    print(
        f"non-SQL over every request: median {statistics.median(every_non_sql):.1f} ms, "
        f"max of the per-search medians {max(f['non_sql'] for f in figures.values()):.1f} ms"
    )
    return figures


def profile(runs: list[Search], rounds: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(rounds):
        for search in runs:
            search.render(cold=True)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("tottime").print_stats(30)
    stats.sort_stats("cumulative").print_stats(40)


def compare(before_glob: str, after_glob: str) -> None:
    """Per search: the median over several saved runs of each side, and after / before."""
    sides = []
    for pattern in (before_glob, after_glob):
        runs = [bench_results.load(path) for path in sorted(glob.glob(pattern))]
        if not runs:
            sys.exit(f"No saved runs match {pattern}")
        loads = ", ".join(f"{run['before'].split()[-3]}-{run['after'].split()[-3]}" for run in runs)
        print(f"{pattern}: {len(runs)} runs, load average (1 min) {loads}")
        sides.append(
            {
                label: {
                    kind: statistics.median(run["searches"][label][kind] for run in runs)
                    for kind in ("sql", "non_sql", "total")
                }
                for label in runs[0]["searches"]
            }
        )
    before, after = sides
    order = bench_results.load(sorted(glob.glob(before_glob))[0]).get("order", list(before))
    print(
        f"{'search (cold, median ms)':<56} {'SQL':>13} {'non-SQL':>19} {'total':>13}\n"
        f"{'':<56} {'before':>6} {'after':>6} {'before':>6} {'after':>6} {'ratio':>5} "
        f"{'before':>6} {'after':>6}"
    )
    for label in order:
        old, new = before[label], after[label]
        print(
            f"{label:<56} {old['sql']:>6.1f} {new['sql']:>6.1f} {old['non_sql']:>6.1f} "
            f"{new['non_sql']:>6.1f} {new['non_sql'] / old['non_sql']:>5.2f} "
            f"{old['total']:>6.1f} {new['total']:>6.1f}"
        )


@plain_storages
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--no-settle", action="store_true", help="skip VACUUM/prewarm")
    parser.add_argument("--profile", type=int, default=0, help="cProfile N rounds instead")
    parser.add_argument("--json", help="where to save the per-search figures")
    parser.add_argument("--compare", nargs=2, metavar=("BEFORE_GLOB", "AFTER_GLOB"))
    args = parser.parse_args()
    if args.compare:
        compare(*args.compare)
        return
    if connection.vendor != "postgresql":
        sys.exit("The finder benchmark needs PostgreSQL: set DATABASE_URL.")
    factory = RequestFactory()
    runs = [Search(label, query, factory) for label, query in searches()]
    if not args.no_settle:
        for step in settle():
            print(step)
    for search in runs:  # warm-up: connection, plans, templates
        search.render(cold=True)
    if args.profile:
        profile(runs, args.profile)
        return
    before = load()
    print(f"Timing {args.runs} rounds of {len(runs)} cold searches; before: {before}", flush=True)
    figures = report(timed(runs, args.runs))
    after = load()
    print(f"After: {after}")
    if args.json:
        bench_results.save(
            args.json,
            {"before": before, "after": after, "searches": figures, "order": list(figures)},
        )


if __name__ == "__main__":
    main()
