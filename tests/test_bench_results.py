"""bench/bench_results.py: two runs' per-search figures compared, with the machine's speed."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from bench_results import compare  # noqa: E402


def run(p95: dict[str, float], *, calibration: float = 8.0, probe: float | None = None) -> dict:
    figures = {"calibration_ms": calibration, "cold_p95": p95}
    if probe is not None:
        figures["probe_ms"] = probe
    return figures


def test_a_run_slower_throughout_disagrees_but_not_once_divided_by_its_probe(capsys):
    first = run({"one": 10.0, "two": 20.0}, probe=1.50)
    second = run({"one": 13.0, "two": 26.0}, probe=1.95)  # the machine 30% slower
    assert compare("runs", first, second) == 2
    out = capsys.readouterr().out
    assert "2 of 2 searches differ by more than 15% (2 once calibrated, 0 by the probe)." in out


def test_a_search_that_changed_still_disagrees_by_the_probe(capsys):
    first = run({"one": 10.0, "two": 20.0}, probe=1.50)
    second = run({"one": 10.0, "two": 30.0}, probe=1.50)
    assert compare("runs", first, second) == 1
    assert "(1 once calibrated, 1 by the probe)" in capsys.readouterr().out


def test_runs_saved_without_a_probe_are_compared_by_calibration_only(capsys):
    first = run({"one": 10.0}, calibration=8.0)
    second = run({"one": 12.5}, calibration=10.0)  # 25% slower, the machine too
    assert compare("runs", first, second) == 1
    out = capsys.readouterr().out
    assert "(0 once calibrated)." in out and "probe" not in out
