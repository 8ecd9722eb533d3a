"""Shared pieces of the benchmark scripts: ports, wrk, the benchmark databases."""

import os
import re
import shutil
import socket
import subprocess
import sys

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk:
        return wrk
    print("wrk not found; installing it from the Debian packages", flush=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
    return shutil.which("wrk") or sys.exit("wrk is still missing")


def ensure_database(pg_url: str, db_name: str) -> None:
    """Create the benchmark's own database on the local server when missing."""
    import psycopg2

    conn = psycopg2.connect(f"{pg_url}/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db_name])
        if not cur.fetchone():
            cur.execute(f'CREATE DATABASE "{db_name}"')
    conn.close()


def to_ms(text: str) -> float:
    """A wrk latency such as ``850.12us`` or ``1.20s`` in milliseconds."""
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def print_machine_load() -> None:
    """Throughput is only comparable on an otherwise idle machine: say how idle it was."""
    one, five, _ = os.getloadavg()
    print(
        f"Load average before the run: {one:.2f} (1 min), {five:.2f} (5 min) "
        f"on {os.cpu_count()} CPUs",
        flush=True,
    )
    if one > 0.5:
        print("WARNING: something else is using the CPUs; requests/s will read low.", flush=True)
