"""The percentile and the load-average line the benches print, defined once."""

import os


def percentile(values: list[float], fraction: float) -> float:
    """Linear interpolation between the two nearest ranks (numpy's default, "inclusive").

    With 20 timings, nearest rank makes p95 the second-slowest request, so one
    stall more or less moves it to the next value; interpolating and taking
    more rounds (finder_bench.py's default is 100) is what keeps two runs of
    the same code within a few percent of each other.
    """
    if not values:
        return 0.0
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def load_average() -> str:
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
