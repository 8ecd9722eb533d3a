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
import sys

from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from finder_bench import Search, searches  # noqa: E402  (sets Django up)


@override_settings(
    STORAGES={
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
)
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-ms", type=float, default=5.0)
    parser.add_argument("--only", default="", help="searches whose label contains this")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Needs PostgreSQL: set DATABASE_URL.")
    print("load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    factory = RequestFactory()
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


if __name__ == "__main__":
    main()
