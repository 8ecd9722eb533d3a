"""Availability and licence labels pass WCAG AA contrast in both colour schemes."""

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parent.parent / "mhsite/static/css/site.css").read_text()
STAMP_COLOURS = ("--stamp-good", "--stamp-wait", "--stamp-bad", "--stamp-unknown")
# The label sits on a result card (--surface) or on the profile page (--bg).
BACKGROUNDS = ("--surface", "--bg")


def scheme(dark: bool) -> dict[str, str]:
    block = CSS.split("@media (prefers-color-scheme: dark)")[1] if dark else CSS
    root = block[block.index(":root {") : block.index("}", block.index(":root {"))]
    return dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{6})", root))


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("dark", [False, True])
def test_every_stamp_colour_passes_aa_on_every_background(dark):
    colours = scheme(dark)
    for name in STAMP_COLOURS:
        for background in BACKGROUNDS:
            ratio = contrast(colours[name], colours[background])
            assert ratio >= 4.5, (dark, name, background, round(ratio, 2))


def test_unknown_and_not_found_use_their_own_accessible_colour():
    rule = CSS[CSS.index(".stamp--unknown strong,\n.stamp--not_found strong {") :]
    rule = rule[: rule.index("}")]
    assert "var(--stamp-unknown)" in rule
    assert "border-style: dashed" in rule  # told apart by shape, not colour alone
    assert contrast(scheme(False)["--notice-border"], "#ffffff") < 4.5  # the old colour
