"""Bounded load on the production stack: gunicorn + PostgreSQL + Redis, on loopback.

Starts gunicorn with mhsite/gunicorn.conf.py (DEBUG off, its own PostgreSQL
database ``mhsite_bench``, Redis for the cache), loads the demo articles and
seeded therapist listings, then runs wrk with 64 connections for 30 s over a
mix of article, finder and profile URLs, and prints requests/s, p50/p99 latency
and the error count (non-2xx/3xx responses plus socket errors), which must be 0.

The run uses the page cache as deployed; ``--compare-uncached`` adds a second
run with it off (PAGE_CACHE_SECONDS=0) to show the application underneath.

Usage:
    .venv/bin/python bench/load.py [--duration 30] [--connections 64] [--listings 2000]
                                   [--compare-uncached]

Needs wrk (Debian package ``wrk``; installed with apt-get when missing),
PostgreSQL at 127.0.0.1:5432 and Redis at 127.0.0.1:6379. Sends traffic only
to 127.0.0.1.
"""

import argparse
import json
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

from harness import ensure_database, ensure_wrk, free_port, to_ms

# BENCH_SITE_ROOT runs another checkout of the site (e.g. an older commit, for a
# before/after figure) with these scripts.
ROOT = Path(os.environ.get("BENCH_SITE_ROOT") or Path(__file__).resolve().parent.parent)
PYTHON = sys.executable
DB_NAME = os.environ.get("BENCH_DB_NAME", "mhsite_bench")
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
STATIC_ROOT = Path(tempfile.gettempdir()) / "mhsite-bench-static"

WRK_SCRIPT = """
local paths = {%s}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


def site_env(*, page_cache: bool = True) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=f"{PG_URL}/{DB_NAME}",
        REDIS_URL=REDIS_URL,
        # Plain HTTP on loopback: TLS ends at the load balancer in production.
        SECURE_SSL_REDIRECT="0",
        STATIC_ROOT=str(STATIC_ROOT),
        LOG_LEVEL="WARNING",
        GUNICORN_ACCESSLOG="",
        GUNICORN_LOGLEVEL="warning",
        HOST="127.0.0.1",
    )
    if not page_cache:
        env["PAGE_CACHE_SECONDS"] = "0"
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def prepare(env: dict[str, str], listings: int) -> None:
    print(f"Preparing {DB_NAME} (migrate, loaddemo, seed_therapists, collectstatic)...")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "loaddemo")
    have = int(
        manage(
            env,
            "shell",
            "-c",
            "from therapists.models import Therapist; print(Therapist.objects.count())",
        )
        .strip()
        .splitlines()[-1]
    )
    if have < listings:
        manage(env, "seed_therapists", "--count", str(listings - have))
    manage(env, "collectstatic", "--noinput", "-v0")


URL_QUERY = """
import json, random
from django.db.models import Count
from articles.models import Article
from therapists.models import Specialty, Language, Therapist
random.seed(7)
articles = [a.get_absolute_url() for a in Article.objects.published()]
profiles = [t.get_absolute_url() for t in Therapist.objects.listed().order_by("pk")[:2000]]
specialties = list(Specialty.objects.values_list("slug", flat=True)[:6])
languages = list(Language.objects.values_list("slug", flat=True)[:3])
finder = ["/therapists/", "/therapists/?accepting=on", "/therapists/?sliding_scale=on",
          "/therapists/?q=anxiety", "/therapists/?q=family&accepting=on"]
finder += [f"/therapists/?specialty={s}" for s in specialties]
finder += [f"/therapists/?language={s}&accepting=on" for s in languages]
print(json.dumps({"articles": articles, "finder": finder,
                  "profiles": random.sample(profiles, min(40, len(profiles)))}))
"""


def bench_urls(env: dict[str, str]) -> dict[str, list[str]]:
    return json.loads(manage(env, "shell", "-c", URL_QUERY).strip().splitlines()[-1])


class Server:
    """gunicorn -c mhsite/gunicorn.conf.py mhsite.wsgi, as deployed."""

    def __init__(self, env: dict[str, str]):
        self.port = free_port()
        self.env = {**env, "PORT": str(self.port)}
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "-c", "mhsite/gunicorn.conf.py", "mhsite.wsgi"],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        sys.exit("gunicorn did not answer /healthz within 30 s")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=35)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def warm(self, paths: list[str]) -> None:
        for path in paths:
            with urllib.request.urlopen(f"{self.base}{path}", timeout=10) as response:  # noqa: S310
                response.read()


def run_wrk(wrk: str, base: str, paths: list[str], duration: int, connections: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % ", ".join(json.dumps(p) for p in paths))
    try:
        output = subprocess.run(
            [
                wrk,
                "-t2",
                f"-c{connections}",
                f"-d{duration}s",
                "--timeout",
                "10s",
                "--latency",
                "-s",
                script.name,
                base,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        os.unlink(script.name)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return {
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": to_ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)),
        "p99": to_ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": sum(int(n) for n in sockets.groups()) if sockets else 0,
    }


def mixed_paths(urls: dict[str, list[str]]) -> list[str]:
    """Articles, finder searches and profiles, interleaved in roughly equal shares."""
    groups = [urls["articles"], urls["finder"], urls["profiles"]]
    longest = max(len(group) for group in groups)
    return [group[i % len(group)] for i in range(longest) for group in groups]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--listings", type=int, default=2000, help="therapist listings to seed")
    parser.add_argument(
        "--compare-uncached",
        action="store_true",
        help="also run with the page cache off, to see the application underneath",
    )
    args = parser.parse_args()

    wrk = ensure_wrk()
    ensure_database(PG_URL, DB_NAME)
    env = site_env()
    prepare(env, args.listings)
    urls = bench_urls(env)
    paths = mixed_paths(urls)
    print(
        f"{len(urls['articles'])} article, {len(urls['finder'])} finder and "
        f"{len(urls['profiles'])} profile URLs; {args.connections} connections for "
        f"{args.duration} s per run; 127.0.0.1 only",
        flush=True,
    )
    results = {}
    runs = [("page cache on", True)]
    if args.compare_uncached:
        runs.append(("page cache off", False))
    for label, page_cache in runs:
        with Server(site_env(page_cache=page_cache)) as server:
            workers = len(server.worker_pids())
            server.warm(paths)
            print(f"wrk: {label}, {workers} gunicorn workers ...", flush=True)
            results[label] = run_wrk(wrk, server.base, paths, args.duration, args.connections)
    print()
    print(f"{'run':<16}{'requests':>10}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}")
    failed = False
    for label, r in results.items():
        errors = r["non_2xx"] + r["socket_errors"]
        failed = failed or errors > 0
        print(
            f"{label:<16}{r['requests']:>10}{r['rps']:>10.1f}{r['p50']:>10.1f}"
            f"{r['p99']:>10.1f}{errors:>8}"
        )
    if failed:
        sys.exit("errors during the load run (expected 0)")


if __name__ == "__main__":
    main()
