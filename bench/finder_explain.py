"""EXPLAIN (ANALYZE, BUFFERS) of the finder's slow statements, per bench search.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h4_finder_100k \\
        .venv/bin/python bench/finder_explain.py [--min-ms 5] [--only "city text"]

Renders each search of bench/finder_bench.py once cold (counts cache cleared)
to warm the plans and pages, then again while capturing its statements, and
prints the plan of every statement that took at least ``--min-ms``. The
database must already hold the listings (run the bench first).
"""

import argparse
import os
import statistics
import sys

from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from finder_bench import Search, searches  # noqa: E402  (sets Django up)
from inprocess import plain_storages  # noqa: E402


@plain_storages
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-ms", type=float, default=5.0)
    parser.add_argument("--only", default="", help="searches whose label contains this")
    parser.add_argument(
        "--sql-times",
        type=int,
        default=0,
        metavar="ROUNDS",
        help="instead of plans: per search, the cold request's time in SQL over ROUNDS rounds",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a PostgreSQL setting for the session first, e.g. random_page_cost=1.1",
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Needs PostgreSQL: set DATABASE_URL.")
    with connection.cursor() as cursor:
        for setting in args.set:
            name, value = setting.split("=", 1)
            cursor.execute("SELECT set_config(%s, %s, false)", [name, value])
            print(f"SET {name} = {value}")
    print("load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    factory = RequestFactory()
    if args.sql_times:
        sql_times(factory, args.sql_times, args.only)
        return
    for label, query in searches():
        if args.only and args.only not in label:
            continue
        search = Search(label, query, factory)
        search.render(cold=True)
        with CaptureQueriesContext(connection) as captured:
            search.render(cold=True)
        print(f"\n=== {label}: {len(captured)} queries")
        for statement in captured.captured_queries:
            if float(statement["time"]) * 1000 < args.min_ms:
                continue
            print(f"\n--- {float(statement['time']) * 1000:.1f} ms: {statement['sql'][:300]}")
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement["sql"])
                for (line,) in cursor.fetchall():
                    print(line)


def backend_cpu_ms(pid: int) -> float:
    """CPU time (user + system) the database server process ``pid`` has used, in ms."""
    with open(f"/proc/{pid}/stat") as stat:
        # The fields after the command name, which is in parentheses.
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def sql_times(factory: RequestFactory, rounds: int, only: str) -> None:
    """Median and worst time in SQL (the statements' own times, summed) per cold request,
    and the CPU time the database server process spent on it.

    Less sensitive than the bench's figures to CPU taken by other processes
    from the Python side (template rendering); run two code versions against
    the same database one after the other to compare their statements. The
    CPU time (read from /proc, so only with the server on this machine; in
    clock ticks, averaged over the rounds) moves least with the machine's
    load: a statement waiting for a core is not using one. It leaves out
    parallel workers: compare with ``--set max_parallel_workers_per_gather=0``.
    """
    runs = [Search(label, query, factory) for label, query in searches() if only in label]
    times: dict[str, list[float]] = {search.label: [] for search in runs}
    # Per search and kind of statement (``statement_kind``), its time in each round.
    kinds: dict[str, dict[str, list[float]]] = {search.label: {} for search in runs}
    cpu: dict[str, float] = {search.label: 0.0 for search in runs}
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    local = os.path.exists(f"/proc/{pid}/stat")
    for search in runs:
        search.render(cold=True)
    for _ in range(rounds):
        for search in runs:
            before = backend_cpu_ms(pid) if local else 0.0
            with CaptureQueriesContext(connection) as captured:
                search.render(cold=True)
            cpu[search.label] += (backend_cpu_ms(pid) if local else 0.0) - before
            total = sum(float(statement["time"]) for statement in captured.captured_queries)
            times[search.label].append(total * 1000)
            per_kind: dict[str, float] = {}
            for statement in captured.captured_queries:
                kind = statement_kind(statement["sql"])
                per_kind[kind] = per_kind.get(kind, 0.0) + float(statement["time"]) * 1000
            for kind, ms in per_kind.items():
                kinds[search.label].setdefault(kind, []).append(ms)
    print(f"{'search (cold, ms in SQL)':<56} {'median':>8} {'max':>8} {'CPU':>8}")
    for label, values in times.items():
        server = f"{cpu[label] / rounds:>8.1f}" if local else f"{'n/a':>8}"
        print(f"{label:<56} {statistics.median(values):>8.1f} {max(values):>8.1f} {server}")
        for kind, ms in sorted(kinds[label].items()):
            print(f"    {kind:<52} {statistics.median(ms):>8.1f} {max(ms):>8.1f}")
    print("load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


# What a statement of a finder request is, told by its text (median time per kind above).
STATEMENT_KINDS = (
    ('AS "kind"', "vocabularies"),
    ("SELECT 'languages'", "card relations"),
    ("AS relaxed", "ways out"),
    ("pass_range", "counts (listings)"),
    ("therapists_finder_place_pair", "counts (place table)"),
    ("therapists_finder_word_pair", "counts (word table)"),
    ("therapists_finder_pair", "counts (pair table)"),
    ("%>", "names (trigram)"),
    ('AS "slug"', "page"),
)


def statement_kind(sql: str) -> str:
    return next((kind for marker, kind in STATEMENT_KINDS if marker in sql), "other")


if __name__ == "__main__":
    main()
