"""Server-side latency of the therapist finder at 100,000 listings on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mhsite_finder_bench \\
        .venv/bin/python bench/finder_bench.py [--listings 100000] [--runs 30]

Migrates the database, tops it up to ``--listings`` listings with
``seed_therapists`` (skipped when already there), runs VACUUM ANALYZE, then renders
the finder in-process (RequestFactory straight into the view: template
rendering and every query included, no middleware, no page cache, DEBUG off)
for 20 fixed searches. Prints p50 and p95 per search and overall, and the
number of queries each search made. Target: p95 < 100 ms for every search.

The finder caches its counts per search and content generation
(``therapists.finder.counts.counts_key``). The headline figures are COLD: the cache is
cleared before every timed request, so each one computes its counts in the
database. WARM figures (the same search repeated, counts from the cache) are
printed separately after them.
"""

import argparse
import gc
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mhsite.settings")
os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "finder-bench-only-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mhsite_finder_bench")
# A local-memory cache in this process, cleared before each cold request.
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from therapists.finder.query import load_vocabularies  # noqa: E402
from therapists.models import Therapist  # noqa: E402
from therapists.views import FinderView  # noqa: E402

# As mhsite/wsgi.py does once the app is loaded, so that garbage collections
# cost what they cost in production.
gc.freeze()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def ensure_listings(target: int) -> None:
    call_command("migrate", verbosity=0, interactive=False)
    have = Therapist.objects.count()
    if have < target:
        print(f"Seeding {target - have:,} listings (have {have:,})…", flush=True)
        call_command("seed_therapists", count=target - have, batch_size=5000)
    # As autovacuum would after a bulk load: fresh statistics, and a visibility
    # map so the covering indexes can answer counts without reading rows.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"{Therapist.objects.count():,} listings, {Therapist.objects.listed().count():,} listed.")


def searches() -> list[tuple[str, str]]:
    """20 representative searches, using the seeded vocabularies' real slugs."""
    v = load_vocabularies()

    def slug(kind: str, index: int) -> str:
        return v[kind][index % len(v[kind])].slug

    english = next((t.slug for t in v["language"] if t.name == "English"), slug("language", 0))
    rare_language = next(t.slug for t in v["language"] if t.slug != english)
    return [
        ("no filters", ""),
        ("one specialty", f"specialty={slug('specialty', 0)}"),
        ("one approach", f"approach={slug('approach', 1)}"),
        ("a less common language", f"language={rare_language}"),
        ("online only", "format=online"),
        ("accepting new clients", "accepting=on"),
        ("city text", "location=Chicago"),
        ("insurance plan", f"insurance={slug('insurance', 0)}"),
        ("identifies as", f"identity={slug('community', 2)}"),
        (
            "4 filters: specialty, in person, accepting, language",
            f"specialty={slug('specialty', 1)}&format=in_person&accepting=on&language={english}",
        ),
        (
            "4 filters: approach, age, sliding scale, max fee",
            f"approach={slug('approach', 2)}&age={slug('age', 0)}&sliding_scale=on&max_fee=120",
        ),
        (
            "4 filters: works with, faith, gender, online",
            f"community={slug('community', 1)}&faith={slug('faith', 1)}&gender=woman&format=online",
        ),
        ("free text: a word", "q=anxiety"),
        ("free text: a surname", "q=Kesley"),
        ("free text: misspelled surname", "q=Morwel"),
        ("free text: two words", "q=trauma+mindfulness"),
        ("near me: 25 km", "lat=41.8781&lng=-87.6298&radius=25"),
        (
            "near me 10 km + specialty + accepting",
            f"lat=40.7128&lng=-74.0060&radius=10&specialty={slug('specialty', 3)}&accepting=on",
        ),
        (
            "empty result (with ways out)",
            f"q=zzqxv&specialty={slug('specialty', 0)}&lat=61.2&lng=-149.9&radius=5",
        ),
        ("deep page (page 200)", "page=200"),
    ]


# DEBUG off, but without requiring collectstatic's manifest for the {% static %} URLs.
@override_settings(
    STORAGES={
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
)
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("The finder benchmark needs PostgreSQL: set DATABASE_URL.")
    ensure_listings(args.listings)

    # Other work on the machine skews every figure: print the load next to them.
    print("Load average (1, 5, 15 min) before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    factory = RequestFactory()
    view = FinderView.as_view()
    cold_all: list[float] = []
    warm_all: list[float] = []
    worst = {"cold": 0.0, "warm": 0.0}
    warm_rows = []
    print("\nCOLD (counts cache cleared before every timed request)")
    print(f"{'search':<56} {'results':>8} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8}")
    for label, query in searches():
        request_path = f"/therapists/?{query}"

        def render(path: str = request_path):
            response = view(factory.get(path))
            response.render()
            return response

        for _ in range(3):  # warm-up: connection, plans, template loading
            cache.clear()
            response = render()
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = render()
        cold, warm = [], []
        for _ in range(args.runs):
            cache.clear()
            started = time.perf_counter()
            render()
            cold.append((time.perf_counter() - started) * 1000)
        render()  # fills the cache (a cold request, not timed)
        with CaptureQueriesContext(connection) as warm_queries:
            render()
        for _ in range(args.runs):
            started = time.perf_counter()
            render()
            warm.append((time.perf_counter() - started) * 1000)
        cold_all += cold
        warm_all += warm
        p50, p95 = statistics.median(cold), percentile(cold, 0.95)
        worst["cold"] = max(worst["cold"], p95)
        worst["warm"] = max(worst["warm"], percentile(warm, 0.95))
        warm_rows.append(
            (
                label,
                len(warm_queries),
                statistics.median(warm),
                percentile(warm, 0.95),
            )
        )
        total = response.context_data["total"]
        print(f"{label:<56} {total:>8,} {len(queries):>7} {p50:>8.1f} {p95:>8.1f}", flush=True)
    print(
        f"{'overall COLD':<56} {'':>8} {'':>7} {statistics.median(cold_all):>8.1f} "
        f"{percentile(cold_all, 0.95):>8.1f}"
    )
    print("\nWARM (the same search repeated: counts from the cache, page of results from the DB)")
    print(f"{'search':<56} {'':>8} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8}")
    for label, count, p50, p95 in warm_rows:
        print(f"{label:<56} {'':>8} {count:>7} {p50:>8.1f} {p95:>8.1f}")
    print(
        f"{'overall WARM':<56} {'':>8} {'':>7} {statistics.median(warm_all):>8.1f} "
        f"{percentile(warm_all, 0.95):>8.1f}"
    )
    print("Load average (1, 5, 15 min) after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    for kind in ("cold", "warm"):
        verdict = "meets" if worst[kind] < 100 else "MISSES"
        print(
            f"Worst per-search {kind.upper()} p95: {worst[kind]:.1f} ms "
            f"({verdict} the 100 ms target)."
        )


if __name__ == "__main__":
    main()
