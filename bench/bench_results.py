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
    """
    scale = first["calibration_ms"] / second["calibration_ms"]
    print(f"\n{title}")
    print(
        f"calibration: {first['calibration_ms']:.1f} ms vs {second['calibration_ms']:.1f} ms "
        f"(run B's machine {scale:.2f}× as fast)"
    )
    print(f"{'search (COLD p95 ms)':<56} {'run A':>8} {'run B':>8} {'diff':>6} {'calibrated':>10}")
    disagree = calibrated_disagree = 0
    for label, a in first["cold_p95"].items():
        b = second["cold_p95"].get(label)
        if b is None:
            continue
        diff, calibrated = b / a - 1, b * scale / a - 1
        disagree += abs(diff) > AGREEMENT
        calibrated_disagree += abs(calibrated) > AGREEMENT
        mark = "  > 15%" if abs(diff) > AGREEMENT else ""
        print(
            f"{label:<56} {a:>8.1f} {b:>8.1f} {100 * diff:>+5.0f}% {100 * calibrated:>+9.0f}%{mark}"
        )
    print(
        f"{disagree} of {len(first['cold_p95'])} searches differ by more than {AGREEMENT:.0%} "
        f"({calibrated_disagree} once calibrated)."
    )
    return disagree
