"""Article-page throughput: mhsite under gunicorn beside a Wagtail 8 baseline and a static copy.

Serves the site with gunicorn (2 sync workers, DEBUG off, PostgreSQL, no page
cache) on loopback beside a Wagtail 8 site (bench/wagtail_baseline/, its own
virtualenv and database, the same gunicorn settings) serving an equivalent
article page; wrk loads the two article pages in alternating rounds, then the
home page and the article index; then the same site with the page cache on
(Redis when REDIS_URL is set, else each worker's local memory) for the cached
article page, and Varnish (deploy/varnish/mhsite.vcl) in front of it, with the
time from a save to the fresh page at the edge; then the same gunicorn serving
a static copy of the article's HTML through a trivial WSGI app (the ceiling of
this stack). All from one run: requests/s, p50/p99 latency and the CPU the
serving processes spent per request (utime + stime of the gunicorn master and
workers from /proc, before and after each wrk run, over the requests served),
with the uncached page's ratio to Wagtail and the cached page's share of the
static copy.

Usage:
    .venv/bin/python bench/articles.py [--duration 10] [--connections 16] [--rounds 2]
    BENCH_DB_NAME=mhsite_hN REDIS_URL=redis://127.0.0.1:6379/N .venv/bin/python bench/articles.py

Needs wrk (Debian package `wrk`; installed with apt-get when missing), varnishd
with vmod xkey (`varnish`, `varnish-modules`; `make check-varnish`), network
access to the package index the first time (the Wagtail virtualenv) and the
PostgreSQL server at 127.0.0.1:5432 this project's machines run. It uses its own
databases (mhsite_bench_articles, or BENCH_DB_NAME, and the same name with
"_wagtail") and sends traffic only to 127.0.0.1.
"""

import argparse
import math
import os
import secrets
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from gunicorn_stage import run_wrk, start_gunicorn, stop, wait_for
from harness import ensure_database, ensure_wrk, free_port, print_machine_load
from varnish_stage import invalidation_latency_ms, start_varnish, stop_varnish
from wagtail_baseline import build as wagtail

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
DB_NAME = os.environ.get("BENCH_DB_NAME", "mhsite_bench_articles")
WAGTAIL_DB_NAME = os.environ.get("WAGTAIL_DB_NAME", f"{DB_NAME}_wagtail")
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
WAGTAIL = "Wagtail 8 article page"
OURS = "article page"

STATIC_APP = """
import os
BODY = open(os.environ["STATIC_HTML"], "rb").read()
HEADERS = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(BODY)))]

def application(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
"""


def site_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=f"{PG_URL}/{DB_NAME}",
        SECURE_SSL_REDIRECT="0",
        # Measure the application itself, not a page cache in front of it.
        PAGE_CACHE_SECONDS="0",
        LOG_LEVEL="WARNING",
    )
    env.pop("REDIS_URL", None)
    return env


def cached_env(env: dict[str, str], varnish_port: int) -> dict[str, str]:
    """The same site with the page cache on, as production runs it, purging Varnish."""
    cached = dict(
        env,
        PAGE_CACHE_SECONDS="600",
        PAGE_CACHE_PURGE_BACKEND="varnish",
        PAGE_CACHE_PURGE_URLS=f"http://127.0.0.1:{varnish_port}/",
    )
    if os.environ.get("REDIS_URL"):
        cached["REDIS_URL"] = os.environ["REDIS_URL"]
        cached["CACHE_KEY_PREFIX"] = f"bench-{secrets.token_hex(4)}"
    return cached


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout


def prepare_site() -> tuple[dict[str, str], str]:
    ensure_database(PG_URL, DB_NAME)
    env = site_env()
    print("Preparing database (migrate, loaddemo, collectstatic)...", flush=True)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "loaddemo")
    manage(env, "collectstatic", "--noinput", "-v0")
    slug = manage(
        env,
        "shell",
        "--no-imports",
        "-c",
        "from articles.models import Article; "
        "print(Article.objects.published().order_by('-published_at').first().slug)",
    ).strip()
    return env, slug


def side_by_side(wrk: str, args, env: dict[str, str], slug: str) -> tuple[dict, bytes]:
    """Wagtail's article and ours in alternating rounds, then our home page and index."""
    print("Preparing the Wagtail baseline (bench/wagtail_baseline/build.py)...", flush=True)
    wagtail_env, wagtail_path = wagtail.prepare(PG_URL, WAGTAIL_DB_NAME, env["SECRET_KEY"])
    ports = free_port(), free_port()
    ours = start_gunicorn(GUNICORN, "mhsite.wsgi:application", ports[0], env, ROOT)
    theirs = start_gunicorn(
        str(wagtail.GUNICORN), "wagtail_site.wsgi:application", ports[1], wagtail_env, wagtail.HERE
    )
    results: dict[str, dict] = {}
    try:
        article_url = f"http://127.0.0.1:{ports[0]}/articles/{slug}/"
        wagtail_url = f"http://127.0.0.1:{ports[1]}{wagtail_path}"
        for url in (article_url, wagtail_url):
            wait_for(url)
        with urllib.request.urlopen(article_url) as response:
            html = response.read()
        rounds = {WAGTAIL: [], OURS: []}
        for number in range(args.rounds):
            for label, url, server in ((WAGTAIL, wagtail_url, theirs), (OURS, article_url, ours)):
                print(f"round {number + 1}: wrk {args.duration}s x {args.connections}: {url}")
                rounds[label].append(run_wrk(wrk, url, args.duration, args.connections, server))
        for label, runs in rounds.items():
            results[label] = {key: sum(r[key] for r in runs) / len(runs) for key in runs[0]}
        for label, path in (("home page", "/"), ("article index", "/articles/")):
            url = f"http://127.0.0.1:{ports[0]}{path}"
            print(f"wrk {args.duration}s x {args.connections} connections: {url}", flush=True)
            results[label] = run_wrk(wrk, url, args.duration, args.connections, ours)
    finally:
        stop(ours)
        stop(theirs)
    return results, html


def cached_and_edge(wrk: str, args, env: dict[str, str], slug: str) -> tuple[dict, float]:
    cached_port, varnish_port = free_port(), free_port()
    cached = cached_env(env, varnish_port)
    site = start_gunicorn(GUNICORN, "mhsite.wsgi:application", cached_port, cached, ROOT)
    results = {}
    try:
        cached_url = f"http://127.0.0.1:{cached_port}/articles/{slug}/"
        wait_for(cached_url)
        for _ in range(4):  # each worker stores or finds the page
            urllib.request.urlopen(cached_url).read()
        print(f"wrk against the cached article page: {cached_url}", flush=True)
        results["article page, cached"] = run_wrk(
            wrk, cached_url, args.duration, args.connections, site
        )
        varnish, workdir = start_varnish(varnish_port, cached_port)
        try:
            edge_url = f"http://127.0.0.1:{varnish_port}/articles/{slug}/"
            wait_for(edge_url)
            print(f"wrk against Varnish in front of it: {edge_url}", flush=True)
            results["article page, Varnish"] = run_wrk(
                wrk, edge_url, args.duration, args.connections
            )
            latency = invalidation_latency_ms(PYTHON, cached, edge_url, slug)
        finally:
            stop_varnish(varnish, workdir)
    finally:
        stop(site)
    return results, latency


def static_copy(wrk: str, args, env: dict[str, str], html: bytes) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        html_path = Path(tmp) / "article.html"
        html_path.write_bytes(html)
        (Path(tmp) / "static_copy.py").write_text(STATIC_APP)
        static_env = dict(env, STATIC_HTML=str(html_path), PYTHONPATH=tmp)
        port = free_port()
        static = start_gunicorn(GUNICORN, "static_copy:application", port, static_env, ROOT)
        try:
            wait_for(f"http://127.0.0.1:{port}/")
            print("wrk against the static copy", flush=True)
            result = run_wrk(
                wrk, f"http://127.0.0.1:{port}/", args.duration, args.connections, static
            )
        finally:
            stop(static)
    return {"static copy (ceiling)": result}


def report(results: dict, slug: str, latency: float) -> None:
    print()
    cache = "Redis" if os.environ.get("REDIS_URL") else "local memory"
    print(f"gunicorn 2 sync workers, DEBUG off, PostgreSQL; page cache in {cache}; /{slug}/")
    print(f"Wagtail baseline: {wagtail.wagtail_version()}")
    header = f"{'URL':<28}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}{'CPU ms/req':>12}"
    print(header)
    for label, r in results.items():
        cpu = "n/a" if math.isnan(r["cpu_ms"]) else f"{r['cpu_ms']:.2f}"  # Varnish is not ours
        print(
            f"{label:<28}{r['rps']:>10.0f}{r['p50']:>10.1f}{r['p99']:>10.1f}"
            f"{r['errors']:>8.0f}{cpu:>12}"
        )
    ours, theirs = results[OURS], results[WAGTAIL]
    print(f"uncached article page / Wagtail: {ours['rps'] / theirs['rps']:.2f}x the req/s")
    cpu_ratio = theirs["cpu_ms"] / ours["cpu_ms"]
    print(f"CPU per request, Wagtail / uncached article page: {cpu_ratio:.2f}x")
    static_rps = results["static copy (ceiling)"]["rps"]
    for label in (OURS, "article page, cached"):
        print(f"{label}: {results[label]['rps'] / static_rps:.1%} of the static copy's req/s")
    print(f"save to fresh page at the edge (Varnish purge, median of 5): {latency:.0f} ms")
    one, five, _ = os.getloadavg()
    print(f"Load average after the run: {one:.2f} (1 min), {five:.2f} (5 min)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per URL and round")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2, help="alternating Wagtail/ours rounds")
    args = parser.parse_args()

    wrk = ensure_wrk()
    env, slug = prepare_site()
    print_machine_load()
    results, html = side_by_side(wrk, args, env, slug)
    cached, latency = cached_and_edge(wrk, args, env, slug)
    results.update(cached)
    results.update(static_copy(wrk, args, env, html))
    report(results, slug, latency)


if __name__ == "__main__":
    main()
