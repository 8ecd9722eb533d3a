"""Article-page throughput: mhsite under gunicorn versus a static copy of the same HTML.

Serves the site with gunicorn (2 sync workers, DEBUG off, PostgreSQL, no page
cache) on loopback, runs a bounded wrk load against the article page, the home
page and the article index, and prints requests/s and p50/p99 latency for each;
then the same site with the page cache on (Redis when REDIS_URL is set, else
each worker's local memory) for the cached article page, and Varnish
(deploy/varnish/mhsite.vcl) in front of it, with the time from a save to the
fresh page at the edge; then the same
gunicorn serving a static copy of the article's HTML through a trivial WSGI
app (the ceiling of this stack). All from one run, with the cached page's
share of the static copy's requests/s.

Usage:
    .venv/bin/python bench/articles.py [--duration 10] [--connections 16]
    BENCH_DB_NAME=mhsite_hN REDIS_URL=redis://127.0.0.1:6379/N .venv/bin/python bench/articles.py

Needs wrk (Debian package `wrk`; installed with apt-get when missing), varnishd
with vmod xkey (`varnish`, `varnish-modules`; `make check-varnish`) and the
PostgreSQL server at 127.0.0.1:5432 this project's machines run. It uses its own
database (mhsite_bench_articles, or BENCH_DB_NAME) and sends traffic only to 127.0.0.1.
"""

import argparse
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from harness import ensure_database, ensure_wrk, free_port, print_machine_load, to_ms
from varnish_stage import invalidation_latency_ms, start_varnish, stop_varnish

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
DB_NAME = os.environ.get("BENCH_DB_NAME", "mhsite_bench_articles")
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")

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


def wait_for(url: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer 200 within {timeout} s")


def start_gunicorn(app: str, port: int, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            app,
            "--workers=2",
            "--worker-class=sync",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def run_wrk(wrk: str, url: str, duration: int, connections: int) -> dict[str, float]:
    output = subprocess.run(
        [wrk, "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = to_ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = to_ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(match.group(1))
    socket_errors = r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"
    if match := re.search(socket_errors, output):
        errors += sum(int(n) for n in match.groups())
    return {"rps": rps, "p50": p50, "p99": p99, "errors": errors}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per URL")
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()

    wrk = ensure_wrk()
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

    print_machine_load()
    port = free_port()
    site = start_gunicorn("mhsite.wsgi:application", port, env)
    base = f"http://127.0.0.1:{port}"
    static = None
    try:
        wait_for(f"{base}/")
        article_url = f"{base}/articles/{slug}/"
        with urllib.request.urlopen(article_url) as response:
            html = response.read()
        results = {}
        for label, url in [
            ("article page", article_url),
            ("home page", f"{base}/"),
            ("article index", f"{base}/articles/"),
        ]:
            print(f"wrk {args.duration}s x {args.connections} connections: {url}", flush=True)
            results[label] = run_wrk(wrk, url, args.duration, args.connections)
        stop(site)

        cached_port, varnish_port = free_port(), free_port()
        cached = cached_env(env, varnish_port)
        site = start_gunicorn("mhsite.wsgi:application", cached_port, cached)
        cached_url = f"http://127.0.0.1:{cached_port}/articles/{slug}/"
        wait_for(cached_url)
        for _ in range(4):  # each worker stores or finds the page
            urllib.request.urlopen(cached_url).read()
        print(f"wrk against the cached article page: {cached_url}", flush=True)
        results["article page, cached"] = run_wrk(wrk, cached_url, args.duration, args.connections)
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
        stop(site)

        with tempfile.TemporaryDirectory() as tmp:
            html_path = Path(tmp) / "article.html"
            html_path.write_bytes(html)
            (Path(tmp) / "static_copy.py").write_text(STATIC_APP)
            static_env = dict(env, STATIC_HTML=str(html_path), PYTHONPATH=tmp)
            static_port = free_port()
            static = start_gunicorn("static_copy:application", static_port, static_env)
            wait_for(f"http://127.0.0.1:{static_port}/")
            print("wrk against the static copy", flush=True)
            results["static copy (ceiling)"] = run_wrk(
                wrk, f"http://127.0.0.1:{static_port}/", args.duration, args.connections
            )
    finally:
        stop(site)
        if static:
            stop(static)

    print()
    cache = "Redis" if os.environ.get("REDIS_URL") else "local memory"
    print(f"gunicorn 2 sync workers, DEBUG off, PostgreSQL; page cache in {cache}; /{slug}/")
    print(f"{'URL':<28}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}")
    for label, r in results.items():
        print(f"{label:<28}{r['rps']:>10.0f}{r['p50']:>10.1f}{r['p99']:>10.1f}{r['errors']:>8}")
    static_rps = results["static copy (ceiling)"]["rps"]
    for label in ("article page", "article page, cached"):
        print(f"{label}: {results[label]['rps'] / static_rps:.1%} of the static copy's req/s")
    print(f"save to fresh page at the edge (Varnish purge, median of 5): {latency:.0f} ms")
    one, five, _ = os.getloadavg()
    print(f"Load average after the run: {one:.2f} (1 min), {five:.2f} (5 min)")


if __name__ == "__main__":
    main()
