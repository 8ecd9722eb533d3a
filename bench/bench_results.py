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


def compare(title: str, first: dict[str, float], second: dict[str, float]) -> int:
    """Print each search's p95 in two runs and their difference; return how many disagree."""
    print(f"\n{title}")
    print(f"{'search':<56} {'run A':>8} {'run B':>8} {'diff':>7}")
    disagree = 0
    for label, a in first.items():
        b = second.get(label)
        if b is None:
            continue
        diff = (b - a) / a if a else 0.0
        flag = abs(diff) > AGREEMENT
        disagree += flag
        mark = "  > 15%" if flag else ""
        print(f"{label:<56} {a:>8.1f} {b:>8.1f} {100 * diff:>+6.0f}%{mark}")
    print(f"{disagree} of {len(first)} searches differ by more than {AGREEMENT:.0%}.")
    return disagree
