"""Where a cached article page's time goes: the WSGI callable alone, in one process.

Calls the project's WSGI application (``mhsite.wsgi``) the way gunicorn does,
with no network in front, and prints the CPU microseconds per request of:
the fast hit (``mhsite.fasthit``) and the Redis round trip it makes
(``mhsite.redisprobe``), the same MGET through redis-py, Django's own answer
from the page cache (every middleware, same Redis), and a static WSGI app
returning the same bytes; then the top functions of a cProfile of the fast
hit.

Usage:
    BENCH_DB_NAME=h2_articles_bench REDIS_URL=redis://127.0.0.1:6379/2 \
        .venv/bin/python bench/fast_hit.py [--requests 3000]

Run bench/articles.py first on the same BENCH_DB_NAME: it creates and fills
the database this reads.
"""

import argparse
import cProfile
import io
import os
import pstats
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = os.environ.get("BENCH_DB_NAME", "mhsite_bench_articles")
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")


def environ_for(path: str) -> dict:
    return {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_USER_AGENT": "wrk",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def start_response(status, headers, exc_info=None):
    return None


def request(application, path: str) -> bytes:
    chunks = application(environ_for(path), start_response)
    body = b"".join(chunks)
    if hasattr(chunks, "close"):
        chunks.close()
    return body


def cpu_us(call, count: int) -> float:
    started = time.process_time()
    for _ in range(count):
        call()
    return (time.process_time() - started) / count * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    args = parser.parse_args()
    if not os.environ.get("REDIS_URL"):
        raise SystemExit("Set REDIS_URL (the fast hit's round trip is the point).")
    # As bench/articles.py's cached stage runs the site (DEBUG off, PostgreSQL, Redis).
    sys.path.insert(0, str(ROOT))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="mhsite.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"{PG_URL}/{DB_NAME}",
        SECURE_SSL_REDIRECT="0",
        PAGE_CACHE_SECONDS="600",
        LOG_LEVEL="WARNING",
        CACHE_KEY_PREFIX=f"bench-{secrets.token_hex(4)}",
    )
    from mhsite import wsgi  # sets Django up  # isort: skip
    from articles.models import Article
    from mhsite import fasthit, redisprobe

    slug = Article.objects.published().order_by("-published_at").first().slug
    path = f"/articles/{slug}/"
    html = request(wsgi.application, path)  # rendered and stored
    request(wsgi.application, path)
    assert fasthit._index, "the page was not remembered for fast hits"
    replay = next(iter(fasthit._index.values()))
    backend = fasthit.caches["default"]
    client = backend._cache.get_client(None, write=False)
    server = redisprobe.Server.for_backend(backend)

    def static(environ, start):
        start("200 OK", [("Content-Type", "text/html"), ("Content-Length", str(len(html)))])
        return [html]

    n = args.requests
    rows = [
        ("fast hit (mhsite.wsgi.application)", cpu_us(lambda: request(wsgi.application, path), n)),
        (
            "Django's hit, every middleware",
            cpu_us(lambda: request(wsgi.django_application, path), n),
        ),
        (
            f"  of which the MGET of {len(replay.raw_keys)} tag versions",
            cpu_us(lambda: redisprobe.ask(server, replay.mget_command, replay.mget_reply), n),
        ),
        (
            "the same MGET through redis-py",
            cpu_us(lambda: client.mget(replay.raw_keys), n),
        ),
        ("static WSGI app, same bytes", cpu_us(lambda: request(static, path), n)),
    ]
    print(f"{len(html)} bytes, {n} requests each, CPU microseconds per request:")
    for label, value in rows:
        print(f"  {label:<44}{value:>8.1f}")
    profile = cProfile.Profile()
    profile.runcall(lambda: [request(wsgi.application, path) for _ in range(n)])
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(12)
    print(out.getvalue())
    one, five, _ = os.getloadavg()
    print(f"Load average: {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
