"""Article search in Chromium: the header box, a misspelling, a brand name, a crisis query.

At phone and desktop widths, with the site's real CSP; axe-core finds no WCAG
2.2 A/AA violation on the results page in any of its states.
"""

import re

import pytest
from playwright.sync_api import expect

from articles.search.defaults import install_defaults
from articles.search.models import CrisisTerm, SearchSynonym
from tests.browser.axe_checks import describe_violations, wcag_violations
from tests.browser.viewports import VIEWPORTS
from tests.factories import make_article, make_category, make_faq

pytestmark = pytest.mark.browser


@pytest.fixture
def search_articles(settings):
    # Live-server tests flush the database between tests, migration data included.
    install_defaults(SearchSynonym, CrisisTerm)
    settings.CRISIS_SUPPORT_TEXT = "Call or text the example line on 000 now, day or night."
    settings.CRISIS_SUPPORT_URL = "https://example.com/crisis-line"
    settings.CRISIS_SUPPORT_LINK_TEXT = "Example Crisis Line"
    mood = make_category(name="Mood and depression", slug="mood")
    medication = make_category(name="Medication", slug="medication")
    make_article(
        title="Understanding depression",
        summary="What depression is and how it is treated.",
        body="Depression is common and treatable. Talking to a clinician is a good first step.",
        categories=[mood],
    )
    clonazepam = make_article(
        title="Clonazepam explained",
        summary="A medicine sometimes prescribed for panic.",
        body="Clonazepam is a benzodiazepine. Never stop it suddenly without advice.",
        categories=[medication],
    )
    make_faq(clonazepam, question="Is clonazepam habit-forming?", answer="It can be.")
    make_article(
        title="Supporting someone with suicidal thoughts",
        summary="How to listen, and where to find help together.",
        body="If someone says they want to die, take it seriously and stay with them.",
        categories=[mood],
    )


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_reader_searches_with_a_misspelling_a_brand_name_and_a_crisis_query(
    new_context, search_articles, screenshot, viewport
):
    page = new_context(viewport).new_page()
    page.goto("/")
    header_box = page.get_by_role("banner").get_by_role("searchbox", name="Search articles")
    header_box.fill("depresion")
    header_box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=depresion$"))
    expect(page.locator(".search-correction")).to_contain_text("Showing results for depression")
    expect(page.get_by_role("link", name="Understanding depression")).to_be_visible()
    expect(page.locator(".search-result__snippet mark").first).to_have_text(
        re.compile("depression", re.IGNORECASE)
    )
    screenshot(page, f"search-misspelling-{viewport}")

    main_box = page.get_by_role("main").get_by_role("searchbox", name="Search articles")
    main_box.fill("klonopin")
    page.get_by_role("main").get_by_role("button", name="Search").click()
    results = page.locator(".search-results__list h3")
    expect(results).to_have_text(["Clonazepam explained"])
    expect(page.locator(".search-result__snippet mark").first).to_have_text(
        re.compile("clonazepam", re.IGNORECASE)
    )
    screenshot(page, f"search-brand-name-{viewport}")

    main_box = page.get_by_role("main").get_by_role("searchbox", name="Search articles")
    main_box.fill("want to die")
    main_box.press("Enter")
    support = page.get_by_role("region", name="You don’t have to face this alone")
    expect(support).to_be_visible()
    expect(support.get_by_role("link", name="Example Crisis Line")).to_have_attribute(
        "href", "https://example.com/crisis-line"
    )
    # First on the page, in view without scrolling; the results follow it.
    support_box = support.bounding_box()
    assert support_box["y"] < VIEWPORTS[viewport]["height"]
    first_result = page.get_by_role("link", name="Supporting someone with suicidal thoughts")
    expect(first_result).to_be_visible()
    assert first_result.bounding_box()["y"] > support_box["y"] + support_box["height"]
    screenshot(page, f"search-crisis-{viewport}")


def test_search_page_states_have_no_wcag_violations(page, search_articles, screenshot):
    failures = []
    for state, query in {
        "empty": "",
        "results": "?q=clonazepam",
        "corrected": "?q=depresion",
        "crisis": "?q=kill+myself",
        "category": "?q=depression&category=mood",
        "nothing-found": "?q=zzqxv",
        "error": "?q=" + "a" * 201,
    }.items():
        page.emulate_media(color_scheme="light")
        response = page.goto(f"/search/{query}")
        assert response.status == (400 if state == "error" else 200)
        assert "script-src" in response.headers.get("content-security-policy", "")
        for viewport_name, size in VIEWPORTS.items():
            page.set_viewport_size(size)
            screenshot(page, f"search-{state}-{viewport_name}")
            violations = wcag_violations(page)
            if violations:
                failures.append(f"{state} at {viewport_name}:\n{describe_violations(violations)}")
        page.emulate_media(color_scheme="dark")
        violations = wcag_violations(page, only_rules=["color-contrast", "link-in-text-block"])
        if violations:
            failures.append(f"{state} in dark mode:\n{describe_violations(violations)}")
    assert not failures, "\n".join(failures)
    # Nothing refused by the CSP or failed to load; the one message is Chromium
    # noting the error state's own 400 status.
    assert page.console_errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
