"""Keyboard only: every control of the finder can be reached with Tab and shows where focus is."""

import pytest
from playwright.sync_api import Page

from tests.therapist_factories import make_term, make_therapist

pytestmark = pytest.mark.browser

MAX_TABS = 300

# Marks the focused element and reads the styles that can draw a focus indicator.
READ_FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    if (!el.dataset.kbIndex) {
        el.dataset.kbIndex = String(document.querySelectorAll("[data-kb-index]").length);
    }
    const style = getComputedStyle(el);
    return {
        index: el.dataset.kbIndex,
        tag: el.tagName.toLowerCase(),
        closed_summary: el.tagName === "SUMMARY" && !el.parentElement.open,
        label: (el.labels?.[0]?.innerText || el.innerText || el.name || "").trim().slice(0, 60),
        outline: [style.outlineStyle, style.outlineWidth, style.outlineColor].join(" "),
        outline_visible: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
        box_shadow: style.boxShadow,
        background: style.backgroundColor,
        border: style.borderColor,
        decoration: style.textDecorationLine + " " + style.textDecorationThickness,
    };
}"""

# The same styles once nothing has focus, for every element Tab reached.
READ_UNFOCUSED = """() => {
    document.activeElement?.blur();
    const styles = {};
    for (const el of document.querySelectorAll("[data-kb-index]")) {
        const style = getComputedStyle(el);
        styles[el.dataset.kbIndex] = {
            outline: [style.outlineStyle, style.outlineWidth, style.outlineColor].join(" "),
            box_shadow: style.boxShadow,
            background: style.backgroundColor,
            border: style.borderColor,
            decoration: style.textDecorationLine + " " + style.textDecorationThickness,
        };
    }
    return styles;
}"""

# Everything in the finder's form and results a keyboard user must be able to operate.
EXPECTED_CONTROLS = """() => {
    const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary";
    return [...document.querySelectorAll(
        `.finder__form :is(${selector}), .finder__results :is(${selector})`
    )]
        .filter((el) => !el.disabled && el.tabIndex >= 0 && el.checkVisibility())
        .map((el) => ({
            index: el.dataset.kbIndex || null,
            description: el.outerHTML.slice(0, 120),
        }));
}"""


@pytest.fixture
def finder_with_results() -> str:
    anxiety = make_term("specialty", "Anxiety", slug="anxiety")
    english = make_term("language", "English", slug="english")
    for name in ("Rowan Example", "Mica Sample"):
        make_therapist(name=name, specialties=[anxiety], languages=[english])
    make_therapist(name="Jules Placeholder", languages=[english])
    # A filter is active, so the results show removable filter chips as well
    # as result links; the closed "Filters" panel is opened with Enter.
    return "/therapists/?specialty=anxiety"


def tab_through(page: Page) -> list[dict]:
    """Press Tab until focus comes back round, opening closed disclosures with Enter."""
    reached: list[dict] = []
    seen: set[str] = set()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(READ_FOCUSED)
        if focused is None:
            continue
        if focused["index"] in seen:
            break
        if focused["closed_summary"]:
            # A keyboard user opens a disclosure with Enter to get at what is inside.
            page.keyboard.press("Enter")
        seen.add(focused["index"])
        reached.append(focused)
    else:
        pytest.fail(f"Focus did not come back round within {MAX_TABS} presses of Tab")
    return reached


def test_every_finder_control_is_reachable_by_tab_and_shows_a_visible_focus_style(
    page: Page, finder_with_results
):
    page.goto(finder_with_results)
    reached = tab_through(page)

    controls = page.evaluate(EXPECTED_CONTROLS)
    unreachable = [control["description"] for control in controls if control["index"] is None]
    assert not unreachable, "Not reachable with Tab:\n" + "\n".join(unreachable)
    assert len(controls) > 20  # the form's inputs, filter checkboxes, chips and result links

    unfocused = page.evaluate(READ_UNFOCUSED)
    invisible = []
    for focused in reached:
        before = unfocused[focused["index"]]
        changes = [
            key
            for key in ("outline", "box_shadow", "background", "border", "decoration")
            if focused[key] != before[key]
        ]
        draws_a_ring = focused["outline_visible"] or focused["box_shadow"] != "none"
        if not (changes and draws_a_ring):
            invisible.append(
                f"<{focused['tag']}> {focused['label']!r}: focused outline {focused['outline']!r}, "
                f"box-shadow {focused['box_shadow']!r}; unfocused {before}"
            )
    assert not invisible, "No visible focus indicator:\n" + "\n".join(invisible)
