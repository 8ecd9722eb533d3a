"""Where a bench's process and its PostgreSQL backend run (``--pin``)."""

import argparse
import os
from pathlib import Path

from django.db import connection


def pin_cpus(how: str) -> str:
    """The bench process and its PostgreSQL backend on one CPU (``same``) or on
    two (``apart``); say what was done.

    The two never run at once (the bench waits for each statement's rows), so
    one CPU is all a request uses; kept on one, they no longer follow the
    scheduler's moves, and the other CPU is left to whatever else runs. What
    it changed in measured runs, and what it does not fix, is in
    docs/finder.md, "Why two runs disagreed".
    """
    cpus = sorted(os.sched_getaffinity(0))
    mine, theirs = cpus[0], cpus[0] if how == "same" or len(cpus) < 2 else cpus[1]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    host = connection.settings_dict.get("HOST") or ""
    try:  # a server on another machine: its pid means nothing here
        local = host in ("", "localhost", "127.0.0.1", "::1") or host.startswith("/")
        local = local and Path(f"/proc/{backend}/comm").read_text().startswith("postgres")
    except OSError:
        local = False
    if not local:
        return f"not pinned: the backend (pid {backend} on {host or 'a socket'}) is not local"
    try:
        os.sched_setaffinity(backend, {theirs})
    except OSError as error:  # another machine, or not allowed to
        return f"not pinned: the backend (pid {backend}) cannot be moved ({error})"
    os.sched_setaffinity(0, {mine})
    return f"pinned: bench (pid {os.getpid()}) on CPU {mine}, backend ({backend}) on CPU {theirs}"


def add_pin_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--pin",
        choices=("same", "apart", "none"),
        default="same",
        help="the bench process and its PostgreSQL backend on one CPU (default), on two, "
        "or left to the scheduler (bench/pinning.py; docs/finder.md: why two runs disagreed)",
    )
