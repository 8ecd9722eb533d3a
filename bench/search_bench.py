"""Server-side latency of the article search (/search/?q=) at 10,000 articles on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mhsite_search_bench \\
        .venv/bin/python bench/search_bench.py [--articles 10000] [--runs 30]

Migrates the database, tops it up to ``--articles`` synthetic articles with
``seed_articles`` (skipped when already there), runs VACUUM ANALYZE, then
renders the results page in-process (RequestFactory straight into the view:
every query and the template included, no middleware, DEBUG off) for typical
searches: single words, two words, a phrase, an exclusion, "or", a brand name
(synonyms), misspellings (spelling lookup and a second search), a crisis
query, a category filter and a later page. Each round times the plain article
list page (the yardstick) and then every search once, so the load of a shared
machine weighs on both alike. Prints p50 and p95 per search and overall, the
number of queries each made, each p50 over the list page's, the process's
own CPU time per page (p50: Python's share, which the machine's load moves
less than the wall clock), and the load average before and after.
Target: p95 <= 30 ms for typical queries.

Before/after on a shared machine: run two copies at once (the old code in
another directory, on its own copy of the database), taking turns round by
round through a file, so both see the same load:

    echo 0 > /tmp/turn
    (cd OLD_CHECKOUT && DATABASE_URL=$BEFORE_DB .venv/bin/python bench/search_bench.py \\
        --turn-file /tmp/turn --turn 0) &
    DATABASE_URL=$AFTER_DB .venv/bin/python bench/search_bench.py --turn-file /tmp/turn --turn 1
"""

import argparse
import gc
import os
import statistics
import sys
import time
from pathlib import Path

from inprocess import plain_storages, setup_django  # noqa: E402
from stats import percentile  # noqa: E402

setup_django("mhsite_search_bench")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from pinning import add_pin_argument, pin_cpus  # noqa: E402

from articles.models import Article  # noqa: E402
from articles.search.views import SearchView  # noqa: E402
from articles.views import ArticleListView  # noqa: E402

gc.freeze()

SEARCHES = [
    ("one word", {"q": "anxiety"}),
    ("one word, common", {"q": "sleep"}),
    ("two words", {"q": "grief support"}),
    ("medicine", {"q": "sertraline side effects"}),
    ("brand name (synonym)", {"q": "klonopin"}),
    ("lay term (synonym)", {"q": "can't sleep"}),
    ("phrase", {"q": '"panic attacks"'}),
    ("exclusion", {"q": "depression -medication"}),
    ("or", {"q": "burnout or loneliness"}),
    ("misspelling", {"q": "depresion"}),
    ("misspelled medicine", {"q": "clonazapam"}),
    ("crisis query", {"q": "want to die"}),
    ("category filter", {"q": "anxiety", "category": "sleep"}),
    ("page 5", {"q": "therapy", "page": "5"}),
    ("nothing found", {"q": "zzqxv"}),
]


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} CPUs"


def ensure_articles(target: int) -> None:
    call_command("migrate", verbosity=0, interactive=False)
    have = Article.objects.filter(slug__startswith="synthetic-article-").count()
    if have < target:
        print(f"Seeding {target - have:,} articles (have {have:,})…", flush=True)
        call_command("seed_articles", count=target)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    published = Article.objects.published().count()
    print(f"{Article.objects.count():,} articles, {published:,} published.", flush=True)


@plain_storages
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--turn-file", type=Path, help="take turns with another copy (docstring)")
    parser.add_argument("--turn", type=int, choices=[0, 1], default=0)
    add_pin_argument(parser)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("The search benchmark needs PostgreSQL: set DATABASE_URL.")
    ensure_articles(args.articles)
    if args.pin != "none":
        print(pin_cpus(args.pin))
    print(f"Before: {load()}", flush=True)
    turns = Turns(args.turn_file, args.turn) if args.turn_file else None
    timings, cpu, queries, outcomes = measure(args.runs, turns)
    base = timings["(article list page)"]
    base_p50 = statistics.median(base)
    print(
        f"{'search':<24} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'results':>8} "
        f"{'p50/list':>9} {'cpu p50':>8}"
    )
    for name, values in timings.items():
        outcome = outcomes.get(name)
        print(
            f"{name:<24} {statistics.median(values):8.1f} {percentile(values, 0.95):8.1f} "
            f"{queries[name]:8d} {outcome.result_count if outcome else 12:8d} "
            f"{statistics.median(values) / base_p50:9.2f} {statistics.median(cpu[name]):8.1f}",
            flush=True,
        )
    everything = [value for name, values in timings.items() if name in outcomes for value in values]
    print(
        f"{'all searches':<24} {statistics.median(everything):8.1f} "
        f"{percentile(everything, 0.95):8.1f}"
    )
    print(
        f"Search p50 / article list p50: {statistics.median(everything) / base_p50:.2f}x; "
        f"search p95 / article list p50: {percentile(everything, 0.95) / base_p50:.2f}x"
    )
    print(f"After: {load()}")


class Turns:
    """Rounds taken in turn with another copy of this bench, through a file holding 0 or 1."""

    def __init__(self, path: Path, turn: int):
        self.path, self.turn = path, turn

    def wait(self) -> None:
        while self.path.read_text().strip() != str(self.turn):
            time.sleep(0.001)

    def done(self) -> None:
        self.path.write_text(str(1 - self.turn))


def measure(runs: int, turns: Turns | None = None) -> tuple[dict, dict, dict, dict]:
    """Round-robin: each round times the article list page, then every search once.

    A yardstick measured in the same rounds: the plain article list (12 cards,
    3 queries). On a shared machine whose load drifts during the run, the
    ratio to it says more than the milliseconds.
    """
    factory, search_view = RequestFactory(), SearchView.as_view()
    list_view = ArticleListView.as_view()
    timings: dict[str, list[float]] = {"(article list page)": []}
    timings.update({name: [] for name, _ in SEARCHES})
    cpu: dict[str, list[float]] = {name: [] for name in timings}
    queries: dict[str, int] = {"(article list page)": 3}
    outcomes = {}
    for run in range(runs + 3):  # the first rounds warm the caches (synonyms, crisis terms)
        if turns:
            turns.wait()
        started, started_cpu = time.perf_counter(), time.process_time()
        list_view(factory.get("/articles/")).render()
        if run >= 3:
            timings["(article list page)"].append((time.perf_counter() - started) * 1000)
            cpu["(article list page)"].append((time.process_time() - started_cpu) * 1000)
        for name, params in SEARCHES:
            request = factory.get("/search/", params)
            with CaptureQueriesContext(connection) as captured:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = search_view(request)
                response.render()
                elapsed = (time.perf_counter() - started) * 1000
                elapsed_cpu = (time.process_time() - started_cpu) * 1000
            assert response.status_code == 200, (name, response.status_code)
            if run >= 3:
                timings[name].append(elapsed)
                cpu[name].append(elapsed_cpu)
            queries[name] = len(captured)
            outcomes[name] = response.context_data["outcome"]
        if turns:
            turns.done()
    return timings, cpu, queries, outcomes


if __name__ == "__main__":
    main()
