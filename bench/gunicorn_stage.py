"""gunicorn on loopback for the throughput benches: start, wait, load with wrk, stop,
and the CPU its processes spent per request served."""

import os
import re
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from harness import to_ms

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def start_gunicorn(
    gunicorn: str, app: str, port: int, env: dict[str, str], cwd: Path
) -> subprocess.Popen:
    """2 sync workers, the configuration every figure in bench/articles.py uses."""
    return subprocess.Popen(
        [
            gunicorn,
            app,
            "--workers=2",
            "--worker-class=sync",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=cwd,
        env=env,
        start_new_session=True,
    )


def wait_for(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer 200 within {timeout} s")


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _children(pid: int) -> list[int]:
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        children.extend(int(child) for child in task.read_text().split())
    return children


def cpu_seconds(master_pid: int) -> float:
    """utime + stime of a gunicorn master and its live workers, in seconds."""
    ticks = 0
    for pid in [master_pid, *_children(master_pid)]:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except FileNotFoundError:
            continue
        # Fields after the parenthesised command name; utime and stime are 14 and 15.
        fields = stat.rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / CLOCK_TICKS


def run_wrk(
    wrk: str, url: str, duration: int, connections: int, server: subprocess.Popen | None = None
) -> dict[str, float]:
    """req/s, p50/p99 ms, errors; with ``server``, also its CPU ms per request served."""
    before = cpu_seconds(server.pid) if server else 0.0
    output = subprocess.run(
        [wrk, "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    after = cpu_seconds(server.pid) if server else 0.0
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": to_ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)),
        "p99": to_ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),
        "errors": 0,
        "cpu_ms": (after - before) * 1000 / requests if server and requests else float("nan"),
    }
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        result["errors"] += int(match.group(1))
    socket_errors = r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"
    if match := re.search(socket_errors, output):
        result["errors"] += sum(int(n) for n in match.groups())
    return result
