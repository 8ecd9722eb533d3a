"""The percentile the benchmark scripts print (bench/stats.py)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from stats import percentile  # noqa: E402


def test_p95_of_twenty_timings_interpolates_between_the_two_slowest():
    timings = [float(n) for n in range(1, 21)]  # 1 … 20
    # rank 0.95 × 19 = 18.05: 5% of the way from the 19th value to the 20th.
    assert percentile(timings, 0.95) == pytest.approx(19.05)


def test_one_stall_moves_p95_of_forty_timings_less_than_of_twenty():
    twenty = [10.0] * 19 + [100.0]
    forty = [10.0] * 39 + [100.0]
    # Of twenty, the stall weighs 5% into p95; of forty, p95 lies below it.
    assert percentile(twenty, 0.95) == pytest.approx(10.0 + 90.0 * 0.05)
    assert percentile(forty, 0.95) == 10.0


def test_the_median_and_the_extremes_are_exact_ranks():
    timings = [5.0, 1.0, 3.0]
    assert percentile(timings, 0.5) == 3.0
    assert percentile(timings, 0.0) == 1.0
    assert percentile(timings, 1.0) == 5.0


def test_no_timings_give_zero():
    assert percentile([], 0.95) == 0.0
