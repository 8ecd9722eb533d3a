"""Server-side latency of the article search (/search/?q=) at 10,000 articles on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mhsite_search_bench \\
        .venv/bin/python bench/search_bench.py [--articles 10000] [--runs 30]

Migrates the database, tops it up to ``--articles`` synthetic articles with
``seed_articles`` (skipped when already there), runs VACUUM ANALYZE, then
renders the results page in-process (RequestFactory straight into the view:
every query and the template included, no middleware, DEBUG off) for typical
searches: single words, two words, a phrase, an exclusion, "or", a brand name
(synonyms), misspellings (spelling lookup and a second count), a crisis query
and a category filter. Prints p50 and p95 per search and overall, the number
of queries each made, and the load average before and after.
Target: p95 <= 30 ms for typical queries.
"""

import argparse
import gc
import os
import statistics
import sys
import time

from inprocess import setup_django  # noqa: E402

setup_django("mhsite_search_bench")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

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


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


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


@override_settings(
    STORAGES={
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
)
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("The search benchmark needs PostgreSQL: set DATABASE_URL.")
    ensure_articles(args.articles)
    factory, view = RequestFactory(), SearchView.as_view()
    print(f"Before: {load()}", flush=True)
    # A yardstick measured in the same run: the plain article list (12 cards,
    # 3 queries). On a shared machine the ratio to it says more than the ms.
    baseline = []
    for run in range(args.runs + 3):
        started = time.perf_counter()
        ArticleListView.as_view()(factory.get("/articles/")).render()
        if run >= 3:
            baseline.append((time.perf_counter() - started) * 1000)
    base_p50 = statistics.median(baseline)
    print(
        f"{'(article list page)':<24} {base_p50:8.1f} {percentile(baseline, 0.95):8.1f}",
        flush=True,
    )
    everything: list[float] = []
    print(f"{'search':<24} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'results':>8}")
    for name, params in SEARCHES:
        timings = []
        for run in range(args.runs + 3):
            request = factory.get("/search/", params)
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = view(request)
                response.render()
                elapsed = (time.perf_counter() - started) * 1000
            if run >= 3:  # the first runs warm the caches (synonyms, crisis terms)
                timings.append(elapsed)
        assert response.status_code == 200, (name, response.status_code)
        outcome = response.context_data["outcome"]
        everything += timings
        print(
            f"{name:<24} {statistics.median(timings):8.1f} {percentile(timings, 0.95):8.1f} "
            f"{len(queries):8d} {outcome.result_count:8d}",
            flush=True,
        )
    print(
        f"{'all searches':<24} {statistics.median(everything):8.1f} "
        f"{percentile(everything, 0.95):8.1f}"
    )
    print(
        f"Search p50 / article list p50: {statistics.median(everything) / base_p50:.1f}x; "
        f"search p95 / article list p50: {percentile(everything, 0.95) / base_p50:.1f}x"
    )
    print(f"After: {load()}")


if __name__ == "__main__":
    main()
