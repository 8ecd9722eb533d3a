"""Faults under load: a killed worker, a PostgreSQL restart, Redis refused or hanging.

Runs the stack of bench/load.py (gunicorn with mhsite/gunicorn.conf.py, DEBUG
off, PostgreSQL database ``mhsite_bench``, Redis cache) and a closed-loop
Python client (16 threads, keep-alive connections) over article, finder and
profile URLs. Half the finder requests carry a fresh query string, so they
miss the page cache and need the database. During the run it

1. kills one gunicorn worker with SIGKILL (the master starts a new one), then
2. restarts PostgreSQL (``pg_ctlcluster --skip-systemctl-redirect 15 main restart``),

and prints, per fault, how many requests failed (connection errors and 5xx;
a 503 from the friendly outage page counts as failed) and the time until
requests succeed again without interruption.

Restarting PostgreSQL drops every connection on this server, including other
people's: the script waits (up to 60 s) for a moment when no other database
has an active query.

``--scenario redis`` instead points the app's cache at a loopback proxy in
front of Redis (bench/faultproxy.py; the real Redis is never touched) and
runs four equal phases: Redis answering, Redis refused, Redis hanging
(connections accepted, nothing answered), Redis answering again. Signed-in
admin pages (article and listing changelists, an article's change page) join
the public mix. Per phase it prints the requests, failures and p50/p99
latency per kind. ``BENCH_SITE_ROOT=/path/to/other/checkout`` runs an older
commit of the site for a before/after figure.

Usage:
    .venv/bin/python bench/faults.py [--duration 40] [--threads 16]
    .venv/bin/python bench/faults.py --scenario redis [--duration 40] [--threads 8]
"""

import argparse
import http.client
import itertools
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # noqa: E402

PG_VERSION = os.environ.get("BENCH_PG_VERSION", "15")


@dataclass
class Outcome:
    at: float
    ok: bool
    status: int
    kind: str
    seconds: float = 0.0


class Client(threading.Thread):
    """One closed-loop reader: a request, its outcome, the next request."""

    def __init__(self, port: int, paths, results: list, stop: threading.Event, headers=None):
        super().__init__(daemon=True)
        self.port, self.paths, self.results, self.stop = port, paths, results, stop
        self.headers = headers or {}
        self.connection: http.client.HTTPConnection | None = None

    def run(self):
        while not self.stop.is_set():
            kind, path = next(self.paths)
            status = 0
            started = time.monotonic()
            try:
                if self.connection is None:
                    self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                headers = self.headers.get(kind.split(" ")[0], {})
                self.connection.request("GET", path, headers=headers)
                response = self.connection.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    self.connection.close()
                    self.connection = None
            except (OSError, http.client.HTTPException):
                if self.connection is not None:
                    self.connection.close()
                self.connection = None
            now = time.monotonic()
            self.results.append(Outcome(now, 200 <= status < 400, status, kind, now - started))


def request_paths(urls: dict[str, list[str]]):
    """An endless, thread-safe mix; every other finder request misses the page cache."""
    counter = itertools.count()
    lock = threading.Lock()
    cached = itertools.cycle(
        [("article", u) for u in urls["articles"]]
        + [("finder", u) for u in urls["finder"]]
        + [("profile", u) for u in urls["profiles"]]
    )

    class Paths:
        def __next__(self):
            with lock:
                n = next(counter)
                if n % 4 == 3:
                    return "finder (uncached)", f"/therapists/?q=anxiety&bench={n}"
                return next(cached)

    return Paths()


def others_active(db_name: str) -> int:
    import psycopg2

    conn = psycopg2.connect(f"{load.PG_URL}/postgres")
    with conn.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND datname IS NOT NULL "
            "AND datname NOT IN (%s, 'postgres') AND pid <> pg_backend_pid()",
            [db_name],
        )
        active = cur.fetchone()[0]
    conn.close()
    return active


def restart_postgresql() -> float:
    deadline = time.monotonic() + 60
    while others_active(load.DB_NAME) and time.monotonic() < deadline:
        time.sleep(0.5)
    started = time.monotonic()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, "main", "restart"],
        check=True,
        capture_output=True,
    )
    print(f"  PostgreSQL restarted in {time.monotonic() - started:.2f} s", flush=True)
    return started


def summarize(name: str, fault_at: float, until: float, results: list[Outcome]) -> None:
    window = [r for r in results if fault_at <= r.at < until]
    failed = [r for r in window if not r.ok]
    by_kind: dict[str, int] = {}
    for r in failed:
        by_kind[r.kind] = by_kind.get(r.kind, 0) + 1
    last_failure = max((r.at for r in failed), default=None)
    recovery = (last_failure - fault_at) if last_failure else 0.0
    statuses = sorted({r.status for r in failed})
    print(
        f"{name}: {len(failed)} of {len(window)} requests failed "
        f"(statuses {statuses or '-'}; {by_kind or 'none'}); "
        f"all requests succeed again {recovery:.2f} s after the fault"
    )


def run_process_faults(args) -> None:
    load.ensure_database(load.PG_URL, load.DB_NAME)
    env = load.site_env()
    load.prepare(env, args.listings)
    urls = load.bench_urls(env)
    results: list[Outcome] = []
    stop = threading.Event()
    with load.Server(env) as server:
        server.warm(load.mixed_paths(urls))
        paths = request_paths(urls)
        clients = [Client(server.port, paths, results, stop) for _ in range(args.threads)]
        started = time.monotonic()
        for client in clients:
            client.start()
        print(f"{args.threads} clients running against {server.base}", flush=True)

        time.sleep(args.duration * 0.25)
        victim = server.worker_pids()[0]
        kill_at = time.monotonic()
        os.kill(victim, signal.SIGKILL)
        print(f"  t={kill_at - started:.1f} s: SIGKILL gunicorn worker {victim}", flush=True)

        time.sleep(args.duration * 0.25)
        print(f"  t={time.monotonic() - started:.1f} s: restarting PostgreSQL", flush=True)
        restart_at = restart_postgresql()

        time.sleep(max(0.0, started + args.duration - time.monotonic()))
        stop.set()
        for client in clients:
            client.join(timeout=15)
        workers = len(server.worker_pids())
    end = time.monotonic()

    total = len(results)
    failed = sum(not r.ok for r in results)
    print()
    print(f"{total} requests in {end - started:.1f} s, {failed} failed; {workers} workers at end")
    summarize("worker SIGKILL", kill_at, restart_at, results)
    summarize("PostgreSQL restart", restart_at, end, results)
    after = [r for r in results if r.at > end - 5]
    print(f"last 5 s: {sum(r.ok for r in after)} of {len(after)} requests succeeded")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", choices=["process", "redis"], default="process")
    parser.add_argument("--duration", type=int, default=40)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--listings", type=int, default=2000)
    args = parser.parse_args()
    if args.scenario == "redis":
        import redis_faults

        redis_faults.run(args, Client)
    else:
        run_process_faults(args)


if __name__ == "__main__":
    main()
