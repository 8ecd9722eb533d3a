"""Time any finder searches cold, in-process, with their slowest statements.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mhsite_finder_bench \\
        .venv/bin/python bench/finder_try.py [--times 3] "location=606" "q=anxiety&format=online"

For searches the bench (bench/finder_searches.py) does not time: each query
string is rendered ``--times`` times through the finder view (RequestFactory,
DEBUG off, the counts cache cleared before each request, as the bench's cold
figures), printing the wall time, the number of statements and the three
slowest. One-off figures, not a benchmark: the load average is printed with
them, and a first request also pays for cold pages and plans.
"""

import argparse
import time

from inprocess import plain_storages, setup_django  # noqa: E402
from stats import load_average as load  # noqa: E402

setup_django("mhsite_finder_bench")

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from therapists.views import FinderView  # noqa: E402


@plain_storages
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("queries", nargs="+", help="query strings, without the '?'")
    parser.add_argument("--times", type=int, default=3)
    args = parser.parse_args()
    factory, view = RequestFactory(), FinderView.as_view()
    print(load())
    for query in args.queries:
        for attempt in range(args.times):
            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                view(factory.get(f"/therapists/?{query}")).render()
                ms = (time.perf_counter() - started) * 1000
            slowest = sorted(
                ((float(q["time"]) * 1000, q["sql"][:70]) for q in captured.captured_queries),
                reverse=True,
            )[:3]
            statements = "; ".join(f"{t:.0f} ms {sql}" for t, sql in slowest)
            print(
                f"{query!r} #{attempt + 1}: {ms:.0f} ms, {len(captured)} statements: {statements}"
            )
    print(load())


if __name__ == "__main__":
    main()
