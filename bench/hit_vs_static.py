"""Cached article page versus the static copy of its HTML, alternating, on a busy machine.

bench/articles.py measures its stages one after another, so on a shared
machine a change in load between the cached and the static stage moves the
ratio. This runs both gunicorns at once (2 sync workers each; the idle one
costs nothing) and alternates short wrk runs, cached then static, for several
rounds, printing each round's ratio and the median.

Usage:
    BENCH_DB_NAME=h2_articles_bench REDIS_URL=redis://127.0.0.1:6379/2 \
        .venv/bin/python bench/hit_vs_static.py [--rounds 5] [--duration 5]

Run bench/articles.py first on the same BENCH_DB_NAME: it creates and fills
the database and collects the static files this serves.
"""

import argparse
import os
import statistics
import tempfile
import urllib.request
from pathlib import Path

from harness import ensure_wrk, free_port, print_machine_load

# bench/articles.py: the script's own directory comes first on sys.path.
from articles import (
    STATIC_APP,
    cached_env,
    manage,
    run_wrk,
    site_env,
    start_gunicorn,
    stop,
    wait_for,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if not os.environ.get("REDIS_URL"):
        raise SystemExit("Set REDIS_URL: the cached stage runs as production does, on Redis.")
    wrk = ensure_wrk()
    env = site_env()
    slug = manage(
        env,
        "shell",
        "--no-imports",
        "-c",
        "from articles.models import Article; "
        "print(Article.objects.published().order_by('-published_at').first().slug)",
    ).strip()
    cached_port, static_port = free_port(), free_port()
    # Purges go to a port nothing listens on; this bench makes no writes.
    site = start_gunicorn("mhsite.wsgi:application", cached_port, cached_env(env, free_port()))
    static = None
    try:
        cached_url = f"http://127.0.0.1:{cached_port}/articles/{slug}/"
        wait_for(cached_url)
        for _ in range(4):  # each worker stores or finds the page
            with urllib.request.urlopen(cached_url) as response:
                html = response.read()
        with tempfile.TemporaryDirectory() as tmp:
            Path(tmp, "article.html").write_bytes(html)
            Path(tmp, "static_copy.py").write_text(STATIC_APP)
            static_env = dict(env, STATIC_HTML=str(Path(tmp, "article.html")), PYTHONPATH=tmp)
            static = start_gunicorn("static_copy:application", static_port, static_env)
            static_url = f"http://127.0.0.1:{static_port}/"
            wait_for(static_url)
            print_machine_load()
            ratios = []
            print(f"{'round':<8}{'cached req/s':>14}{'static req/s':>14}{'ratio':>8}")
            for round_number in range(1, args.rounds + 1):
                hit = run_wrk(wrk, cached_url, args.duration, args.connections)
                ceiling = run_wrk(wrk, static_url, args.duration, args.connections)
                ratios.append(hit["rps"] / ceiling["rps"])
                print(
                    f"{round_number:<8}{hit['rps']:>14.0f}{ceiling['rps']:>14.0f}"
                    f"{ratios[-1]:>8.1%}",
                    flush=True,
                )
    finally:
        stop(site)
        if static:
            stop(static)
    print(f"median ratio over {args.rounds} rounds: {statistics.median(ratios):.1%}")
    one, five, _ = os.getloadavg()
    print(f"Load average after the run: {one:.2f} (1 min), {five:.2f} (5 min)")


if __name__ == "__main__":
    main()
