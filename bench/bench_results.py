"""Saving a bench's per-search figures as JSON and comparing two sets of them."""

import json
from pathlib import Path

# Two runs whose p95 for a search differ by more than this disagree.
AGREEMENT = 0.15


def save(path: str, results: dict) -> None:
    Path(path).write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    print(f"Saved the figures to {path}")


def load(path: str) -> dict:
    return json.loads(Path(path).read_text())


def compare(title: str, first: dict, second: dict) -> int:
    """Print each search's cold p95 in two runs and their difference; return how many disagree.

    Also the difference once each run is divided by its calibration time (a
    fixed CPU-only statement timed before the run): what is left when the
    machine's speed at the time, i.e. the other work on it, is taken out.
    And, for runs that saved it, once divided by the median of a fixed piece
    of pure Python timed before every round (``probe_ms``): on this shared VM
    the speed drifts by 10-40 % over minutes with nothing else running, and
    one statement timed at a run's start does not follow it.
    """
    scale = first["calibration_ms"] / second["calibration_ms"]
    probe = first["probe_ms"] / second["probe_ms"] if "probe_ms" in first.keys() & second else None
    print(f"\n{title}")
    print(
        f"calibration: {first['calibration_ms']:.1f} ms vs {second['calibration_ms']:.1f} ms "
        f"(run B's machine {scale:.2f}× as fast)"
    )
    if probe is not None:
        print(
            f"probe (median over the rounds): {first['probe_ms']:.3f} ms vs "
            f"{second['probe_ms']:.3f} ms (run B's machine {probe:.2f}× as fast)"
        )
    print(
        f"{'search (COLD p95 ms)':<52} {'run A':>8} {'run B':>8} {'diff':>6} {'calibrated':>10}"
        f"{'' if probe is None else ' by probe':>9}"
    )
    disagree = calibrated_disagree = probe_disagree = 0
    for label, a in first["cold_p95"].items():
        b = second["cold_p95"].get(label)
        if b is None:
            continue
        diff, calibrated = b / a - 1, b * scale / a - 1
        by_probe = "" if probe is None else f"{100 * (b * probe / a - 1):>+8.0f}%"
        disagree += abs(diff) > AGREEMENT
        calibrated_disagree += abs(calibrated) > AGREEMENT
        probe_disagree += probe is not None and abs(b * probe / a - 1) > AGREEMENT
        mark = "  > 15%" if abs(diff) > AGREEMENT else ""
        print(
            f"{label:<52} {a:>8.1f} {b:>8.1f} {100 * diff:>+5.0f}% {100 * calibrated:>+9.0f}%"
            f"{by_probe}{mark}"
        )
    by_probe = "" if probe is None else f", {probe_disagree} by the probe"
    print(
        f"{disagree} of {len(first['cold_p95'])} searches differ by more than {AGREEMENT:.0%} "
        f"({calibrated_disagree} once calibrated{by_probe})."
    )
    return disagree
