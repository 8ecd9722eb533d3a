"""What reading the finder's search box costs: the finder with and without it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mhsite_finder_bench \\
        .venv/bin/python bench/finder_understanding_bench.py [--runs 40]

Run against a database already seeded with ``seed_therapists`` (e.g. 100,000
listings). For each typed search it times, in-process like bench/finder_bench.py
(RequestFactory into the view, counts cache cleared before every request, so
every figure is cold):

- AFTER: ``?q=<typed words>``, read by therapists/finder/understanding.py;
- BEFORE: the very same search without the reading: the URL the words became
  (``understood`` filters, leftover words with ``as_text=on``, which skips it).

Both give the same results; the difference is the cost of reading the words
(Python, plus the one place lookup query). On a shared machine the whole-request
difference is mostly noise, so it also times ``understand()`` alone (p50/p95 of
5 x --runs calls): that is the time reading the words adds to a request.
Budget: AFTER p95 - BEFORE p95 <= 2 ms for every search.
"""

import argparse
import os
import statistics
import sys
import time
from urllib.parse import urlencode

from inprocess import plain_storages, setup_django  # noqa: E402
from stats import percentile  # noqa: E402

setup_django("mhsite_finder_bench")

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from therapists.finder.presentation import params_querydict  # noqa: E402
from therapists.finder.query import FinderParams, load_vocabularies  # noqa: E402
from therapists.finder.understanding import understand  # noqa: E402
from therapists.models import Therapist  # noqa: E402
from therapists.views import FinderView  # noqa: E402

TYPED = [
    "teen",
    "spanish",
    "Portland",
    "ocd therapist",
    "trauma online",
    "depresion",
    "Chicago, IL",
    "spanish speaking therapist in portland oregon",
    "lgbtq cbt",
    "97205",
    "Kesley",  # a surname: nothing understood, searched as text
    "grief mindfulness",
]


def before_path(typed: str, vocabularies) -> str:
    params, _ = understand(FinderParams(q=typed), vocabularies)
    query = params_querydict(params)
    if params.q:
        query["as_text"] = "on"
    return f"/therapists/?{query.urlencode()}"


def timed(view, factory, path: str, runs: int) -> list[float]:
    def render():
        response = view(factory.get(path))
        response.render()
        return response

    for _ in range(3):
        cache.clear()
        render()
    figures = []
    for _ in range(runs):
        cache.clear()
        started = time.perf_counter()
        render()
        figures.append((time.perf_counter() - started) * 1000)
    return figures


@plain_storages
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Needs PostgreSQL: set DATABASE_URL.")
    print(f"{Therapist.objects.listed().count():,} listed listings.")
    print("Load average (1, 5, 15 min) before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    factory, view = RequestFactory(), FinderView.as_view()
    vocabularies = load_vocabularies()
    header = (
        f"{'typed':<48} {'before p50/p95':>15} {'after p50/p95':>15} {'Δp95':>6}"
        f" {'parse p50/p95':>14}"
    )
    print(header)
    worst = worst_parse = 0.0
    for typed in TYPED:
        parse = []
        for _ in range(args.runs * 5):
            started = time.perf_counter()
            understand(FinderParams(q=typed), vocabularies)
            parse.append((time.perf_counter() - started) * 1000)
        # Interleaved, so load on the shared machine hits both sides alike.
        before, after = [], []
        for _ in range(2):
            before += timed(view, factory, before_path(typed, vocabularies), args.runs // 2)
            after += timed(view, factory, "/therapists/?" + urlencode({"q": typed}), args.runs // 2)
        delta = percentile(after, 0.95) - percentile(before, 0.95)
        worst = max(worst, delta)
        worst_parse = max(worst_parse, percentile(parse, 0.95))
        print(
            f"{typed:<48} {statistics.median(before):>7.1f}/{percentile(before, 0.95):<7.1f}"
            f" {statistics.median(after):>7.1f}/{percentile(after, 0.95):<7.1f}"
            f" {delta:>6.1f} {statistics.median(parse):>6.2f}/{percentile(parse, 0.95):<6.2f}",
            flush=True,
        )
    print(f"Largest p95 difference: {worst:.1f} ms (budget 2 ms)")
    print(f"Largest parse p95 (understand(), place query included): {worst_parse:.2f} ms")
    print("Load average (1, 5, 15 min) after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
