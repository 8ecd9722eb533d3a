"""Where an article search's time goes: each statement's time and plan, and the rest (Python).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h1_search_10k \\
        .venv/bin/python bench/search_explain.py [--rounds 10] [--only misspelling] [--plans]

For each search of bench/search_bench.py: the results page rendered
``--rounds`` times (after one warm-up), the time of each of its statements
(p50, measured in the database driver's execute) and the page's total, so the
remainder is the view, the ORM and the template. With ``--plans``, the
EXPLAIN (ANALYZE, BUFFERS) of every statement that took at least
``--min-ms``. The database must already hold the articles (run the bench first).
"""

import argparse
import os
import statistics
import sys
import time

from inprocess import plain_storages, setup_django  # noqa: E402

setup_django("mhsite_search_bench")

from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from search_bench import SEARCHES  # noqa: E402

from articles.search.views import SearchView  # noqa: E402


class Timer:
    """An execute wrapper recording each statement's SQL, parameters and time."""

    def __init__(self):
        self.calls = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.calls.append((sql, params, (time.perf_counter() - started) * 1000))


def label(sql: str) -> str:
    text = " ".join(sql.split())
    for marker, name in (
        ("article_search_rows", "matches (count, facets, page ids)"),
        ("WITH m AS MATERIALIZED", "matches (count, facets, page ids)"),
        ("SELECT EXISTS", "corrected query has matches"),
        ("similarity(", "spelling candidates"),
        ("snippet", "page rows (and categories)"),
        ("t.article_id, c.slug", "page categories"),
    ):
        if marker in text:
            return name
    return text[:40]


def page(view, factory, params) -> tuple[float, list]:
    timer = Timer()
    with connection.execute_wrapper(timer):
        started = time.perf_counter()
        view(factory.get("/search/", params)).render()
        total = (time.perf_counter() - started) * 1000
    return total, timer.calls


def explain(sql: str, params) -> str:
    if "article_search_rows(" in sql:
        # The plan of the statement the function runs, not of the function call.
        sql, params = params[0], None
    with connection.cursor() as cursor:
        cursor.execute("BEGIN")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("COMMIT")
    return plan


@plain_storages
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--only", default="", help="searches whose name contains this")
    parser.add_argument("--plans", action="store_true")
    parser.add_argument("--min-ms", type=float, default=3.0)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Needs PostgreSQL: set DATABASE_URL.")
    factory, view = RequestFactory(), SearchView.as_view()
    print(f"load average {os.getloadavg()[0]:.2f} (1 min) on {os.cpu_count()} CPUs")
    for name, params in SEARCHES:
        if args.only not in name:
            continue
        page(view, factory, params)
        totals, statements = [], {}
        for _ in range(args.rounds):
            total, calls = page(view, factory, params)
            totals.append(total)
            for sql, _values, ms in calls:
                statements.setdefault(label(sql), []).append(ms)
        print(f"\n{name} {params}: page p50 {statistics.median(totals):.1f} ms")
        in_sql = 0.0
        for what, times in statements.items():
            per_page = sum(times) / args.rounds
            in_sql += per_page
            print(f"  {what:<40} {statistics.median(times):6.2f} ms p50, {per_page:6.2f} per page")
        print(f"  {'(rest: Python, template)':<40} {statistics.median(totals) - in_sql:6.2f} ms")
        if args.plans:
            for sql, values, ms in page(view, factory, params)[1]:
                if ms >= args.min_ms:
                    print(f"--- {label(sql)} ({ms:.1f} ms)\n{explain(sql, values)}")
    print(f"\nload average {os.getloadavg()[0]:.2f} (1 min)")


if __name__ == "__main__":
    main()
