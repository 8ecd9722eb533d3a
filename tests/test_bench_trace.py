"""What finder_bench.py records around its timed requests (bench/finder_trace.py)."""

import json
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from finder_trace import Sharing, Tracer, describe  # noqa: E402

linux_only = pytest.mark.skipif(not Path("/proc/self/schedstat").exists(), reason="no /proc")


@linux_only
def test_sharing_counts_this_process_as_the_bench_and_the_rest_as_others():
    sharing = Sharing(backend=os.getpid())  # no backend here: this process twice
    total = sum(i * i for i in range(300_000))
    assert total
    summary = sharing.summary()
    assert summary["seconds"] > 0
    assert summary["bench_and_backend_cpu_s"] > 0
    assert summary["others_cpu_s"] >= 0
    assert summary["others_share"] == pytest.approx(summary["others_cpu_s"] / summary["seconds"])
    assert "other processes" in describe(summary)


def test_describe_says_when_it_cannot_tell():
    assert describe({}) == "CPU sharing unknown (no /proc)"


class FakeConnection:
    """Just what Tracer uses of a Django connection: execute_wrapper and a cursor."""

    def __init__(self):
        self.wrappers = []

    def execute_wrapper(self, wrapper):
        connection = self

        class Installed:
            def __enter__(self):
                connection.wrappers.append(wrapper)

            def __exit__(self, *exc):
                connection.wrappers.pop()

        return Installed()

    def execute(self, sql):
        call = lambda sql, params, many, context: None  # noqa: E731
        for wrapper in self.wrappers:
            wrapper(call, sql, None, False, {})

    def cursor(self):
        class Cursor:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                pass

            def execute(self, sql):
                pass

            def fetchone(self):
                return (os.getpid(),)

        return Cursor()


def test_trace_writes_a_round_line_then_one_line_per_request(tmp_path):
    path = tmp_path / "trace.jsonl"
    connection = FakeConnection()
    tracer = Tracer(str(path), connection)
    tracer.start_round(1, 0)
    ms = tracer.request("no filters", lambda: [connection.execute("SELECT 1") for _ in range(3)])
    tracer.close()
    round_line, request_line = (json.loads(line) for line in path.read_text().splitlines())
    assert round_line["kind"] == "round" and round_line["run"] == 1 and round_line["probe_ms"] > 0
    assert request_line["kind"] == "request" and request_line["search"] == "no filters"
    assert request_line["queries"] == 3
    assert request_line["ms"] == ms
    assert 0 <= request_line["db_ms"] <= ms
