"""axe-core (the copy bundled by axe-playwright-python) run in the page, WCAG 2.2 A/AA only."""

import json

from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import Page

# WCAG 2.0, 2.1 and 2.2 at levels A and AA; axe's "best-practice" rules are not WCAG.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}


def wcag_violations(page: Page, only_rules: list[str] | None = None) -> list[dict]:
    """axe-core's WCAG 2.2 A/AA violations on the page as it is now.

    ``only_rules`` narrows the run to some of axe's rule ids (e.g. colour contrast).

    axe is injected once per document (re-checking after a resize reuses it).
    page.evaluate goes through the DevTools protocol, which the page's
    Content-Security-Policy does not govern, so no ``bypass_csp`` is needed.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    options = AXE_OPTIONS
    if only_rules:
        options = {**AXE_OPTIONS, "runOnly": {"type": "rule", "values": only_rules}}
    results = page.evaluate(f"axe.run(document, {json.dumps(options)})")
    return results["violations"]


def describe_violations(violations: list[dict]) -> str:
    """One readable paragraph per violated rule, with the first offending nodes."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['failureSummary']!r}")
    return "\n".join(lines)
