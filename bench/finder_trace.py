"""What the machine did while finder_bench.py timed: ``Sharing`` (every run) and ``--trace``.

``Sharing``: the CPU time other processes used during a run's cold rounds,
printed with the run, so a disagreement between two runs can be put down to
the machine or not.

``--trace FILE``: every timed cold request, one JSON line each.

Per request: run, round, search, its start
(``time.perf_counter``, the monotonic clock), its wall time, the process's CPU
time during it (``time.process_time``), the time spent in the database
driver (``connection.execute_wrapper``: statement sent to rows fetched),
the queries, garbage collections that ran inside it (``gc.callbacks``: count,
generations, milliseconds), and from ``/proc/<pid>/schedstat`` the
nanoseconds the bench process and its PostgreSQL backend each spent on a
CPU and waiting for one on a run queue, and the CPU each last ran on. A
"round" line before each round of searches holds ``/proc/stat``'s CPU
counters (user, system, idle, iowait, steal...), ``/proc/pressure/cpu``, the
load average and the time of a fixed piece of pure Python (``probe_ms``), so
stalls and slow spells can be placed in time against the whole machine.

Everything read for the trace is read outside the timed interval; what it
adds inside (a wrapper call per statement, a callback per collection) is a
few microseconds a request.
"""

import gc
import json
import os
import time
from pathlib import Path

from sql_timer import SQLTimer


def _schedstat(pid: int | None) -> tuple[int, int]:
    """(ns on a CPU, ns waiting on a run queue) of ``pid``, or (0, 0) where unreadable."""
    if not pid:
        return 0, 0
    try:
        fields = Path(f"/proc/{pid}/schedstat").read_text().split()
        return int(fields[0]), int(fields[1])
    except (OSError, IndexError, ValueError):
        return 0, 0


def probe_ms() -> float:
    """A fixed piece of pure Python (build, sort and sum a dict of 5,000 entries): how fast
    this process runs right now, measured between rounds, outside the timed requests."""
    started = time.perf_counter()
    table = {f"key {i}": (i * 7919) % 10007 for i in range(5_000)}
    sum(sorted(table.values()))
    return (time.perf_counter() - started) * 1000


def _last_cpu(pid: int | None) -> int | None:
    """The CPU ``pid`` last ran on (``/proc/<pid>/stat``, field 39)."""
    if not pid:
        return None
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
        return int(text.rsplit(")", 1)[1].split()[36])
    except (OSError, IndexError, ValueError):
        return None


def _proc_stat() -> list[int]:
    try:
        return [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return []


def _pressure() -> int | None:
    try:
        line = Path("/proc/pressure/cpu").read_text().split("\n", 1)[0]
        return int(line.rsplit("total=", 1)[1])
    except (OSError, IndexError, ValueError):
        return None


class Sharing:
    """Who else used the CPUs while the bench timed: the whole machine's CPU time
    (``/proc/stat``) less the bench's and its backend's (``/proc/<pid>/schedstat``),
    and how long those two waited on a run queue; from ``start`` to ``summary``."""

    def __init__(self, backend: int):
        self.backend = backend
        self.started = self._snapshot()

    def _snapshot(self):
        return time.perf_counter(), _proc_stat(), _schedstat(os.getpid()), _schedstat(self.backend)

    def summary(self) -> dict:
        (t0, stat0, me0, pg0), (t1, stat1, me1, pg1) = self.started, self._snapshot()
        if not stat0 or not stat1 or not me1[0]:
            return {}
        ticks = os.sysconf("SC_CLK_TCK")
        delta = [b - a for a, b in zip(stat0, stat1, strict=True)]
        # user nice system idle iowait irq softirq steal: all but idle and iowait is busy.
        busy = (sum(delta[:8]) - delta[3] - delta[4] - delta[7]) / ticks
        ours = (me1[0] - me0[0] + pg1[0] - pg0[0]) / 1e9
        wall = t1 - t0
        return {
            "seconds": wall,
            "bench_and_backend_cpu_s": ours,
            "others_cpu_s": max(0.0, busy - ours),
            "others_share": max(0.0, busy - ours) / wall,
            "steal_s": delta[7] / ticks,
            "run_queue_wait_ms": (me1[1] - me0[1] + pg1[1] - pg0[1]) / 1e6,
        }


def describe(sharing: dict) -> str:
    if not sharing:
        return "CPU sharing unknown (no /proc)"
    return (
        f"CPU meanwhile ({sharing['seconds']:.0f} s): bench and backend "
        f"{sharing['bench_and_backend_cpu_s']:.1f} s, other processes "
        f"{sharing['others_cpu_s']:.1f} s ({sharing['others_share']:.0%} of one CPU), "
        f"steal {sharing['steal_s']:.1f} s; bench and backend waited "
        f"{sharing['run_queue_wait_ms']:,.0f} ms for a CPU"
    )


class Tracer:
    def __init__(self, path: str, connection):
        self.file = open(path, "w")  # noqa: SIM115 (closed by close())
        self.connection = connection
        self.backend = None
        self.run = self.round = 0
        self.sql = SQLTimer()
        self.gc_ms = 0.0
        self.gc_runs: list[int] = []
        self._gc_started = 0.0
        gc.callbacks.append(self._on_gc)

    def close(self) -> None:
        gc.callbacks.remove(self._on_gc)
        self.file.close()

    def _on_gc(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._gc_started = time.perf_counter()
        else:
            self.gc_ms += (time.perf_counter() - self._gc_started) * 1000
            self.gc_runs.append(info["generation"])

    def _write(self, row: dict) -> None:
        self.file.write(json.dumps(row) + "\n")

    def start_round(self, run: int, number: int) -> None:
        self.run, self.round = run, number
        if self.backend is None:
            with self.connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.backend = cursor.fetchone()[0]
        self._write(
            {
                "kind": "round",
                "run": run,
                "round": number,
                "at": time.perf_counter(),
                "proc_stat": _proc_stat(),
                "cpu_pressure_us": _pressure(),
                "loadavg": os.getloadavg(),
                "backend": self.backend,
                "probe_ms": probe_ms(),
            }
        )

    def request(self, label: str, render) -> float:
        """Time ``render()`` as the bench does; write the trace line; return ms."""
        me_before, backend_before = _schedstat(os.getpid()), _schedstat(self.backend)
        self.sql, self.gc_ms, self.gc_runs = SQLTimer(), 0.0, []
        with self.connection.execute_wrapper(self.sql):
            cpu = time.process_time()
            started = time.perf_counter()
            render()
            ms = (time.perf_counter() - started) * 1000
            cpu = (time.process_time() - cpu) * 1000
        me_after, backend_after = _schedstat(os.getpid()), _schedstat(self.backend)
        cpus = [_last_cpu(os.getpid()), _last_cpu(self.backend)]
        self._write(
            {
                "kind": "request",
                "run": self.run,
                "round": self.round,
                "search": label,
                "at": started,
                "ms": ms,
                "cpu_ms": cpu,
                "db_ms": self.sql.seconds * 1000,
                "queries": self.sql.statements,
                "gc_ms": self.gc_ms,
                "gc": self.gc_runs,
                "bench_oncpu_ms": (me_after[0] - me_before[0]) / 1e6,
                "bench_wait_ms": (me_after[1] - me_before[1]) / 1e6,
                "backend_oncpu_ms": (backend_after[0] - backend_before[0]) / 1e6,
                "backend_wait_ms": (backend_after[1] - backend_before[1]) / 1e6,
                "cpus": cpus,
            }
        )
        return ms
