"""The finder's search box understands people, and puts the results first, at phone
and desktop widths; axe finds no WCAG violation in any of the finder's states."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe_checks import describe_violations, wcag_violations
from tests.browser.viewports import VIEWPORTS
from tests.therapist_factories import make_term, make_therapist
from therapists.models import Therapist

pytestmark = pytest.mark.browser


@pytest.fixture
def directory() -> None:
    spanish = make_term("language", "Spanish", slug="spanish")
    english = make_term("language", "English", slug="english")
    depression = make_term("specialty", "Depression", slug="depression")
    anxiety = make_term("specialty", "Anxiety", slug="anxiety")
    teens = make_term("age_group", "Teens (13–17)", slug="teens")
    for name, city, region, languages, specialties, availability in [
        ("Rowan Example", "Portland", "Oregon", [spanish], [depression], "accepting"),
        ("Mica Sample", "Portland", "Oregon", [english], [anxiety], "waitlist"),
        ("Jules Placeholder", "Chicago", "Illinois", [spanish], [anxiety], "not_accepting"),
        ("Noor Fictional", "Eugene", "Oregon", [english], [depression], "accepting"),
    ]:
        make_therapist(
            name=name,
            slug=name.lower().replace(" ", "-"),
            city=city,
            region=region,
            languages=languages,
            specialties=specialties,
            age_groups=[teens] if name.startswith("Noor") else [],
            availability=Therapist.Availability(availability),
        )


def search(page: Page, words: str) -> None:
    page.goto("/therapists/")
    page.get_by_label("Search by name, practice or words in a profile").fill(words)
    page.get_by_label("Search by name, practice or words in a profile").press("Enter")
    page.wait_for_load_state()


def assert_accessible(page: Page, state: str) -> None:
    failures = []
    for width, size in VIEWPORTS.items():
        page.set_viewport_size(size)
        if violations := wcag_violations(page):
            failures.append(f"{state} at {width}:\n{describe_violations(violations)}")
    page.emulate_media(color_scheme="dark")
    if violations := wcag_violations(page, only_rules=["color-contrast", "link-in-text-block"]):
        failures.append(f"{state} in the dark scheme:\n{describe_violations(violations)}")
    page.emulate_media(color_scheme="light")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_typed_words_become_removable_chips_and_results_come_first(
    new_context, directory, viewport
):
    page = new_context(viewport).new_page()
    search(page, "spanish therapist Portland")
    heading = page.locator("#finder-results-heading")
    expect(heading).to_have_text("1 therapist found")
    chips = page.locator(".finder__understood .chip")
    expect(chips).to_have_text(
        [re.compile("^Language: Spanish"), re.compile("^Location: Portland")]
    )
    expect(page.locator("details.finder__filters")).not_to_have_attribute("open", "")
    expect(page.locator("details.finder__filters > summary")).to_have_text("Filters (1 active)")
    # The first result is on the first screen, or close to it on a phone.
    first = page.locator(".therapist-card").first.bounding_box()
    limit = 2 * VIEWPORTS["phone"]["height"] if viewport == "phone" else 800
    assert first["y"] < limit, first

    chips.filter(has_text="Language: Spanish").click()
    page.wait_for_url(re.compile(r"\?location=Portland$"))
    expect(heading).to_have_text("2 therapists found")


def test_search_as_text_and_the_empty_state_offer_what_the_words_resemble(page, directory):
    search(page, "spanish Portland")
    page.get_by_role("link", name="Search “spanish Portland” as text instead").click()
    heading = page.locator("#finder-results-heading")
    expect(heading).to_have_text("No therapists found for “spanish Portland”")
    offers = page.locator(".finder__empty .ways-out").first
    expect(offers).to_contain_text("Language: Spanish")
    expect(offers).to_contain_text("Location: Portland")
    assert_accessible(page, "as text, empty with resemblances")

    search(page, "depresion")
    expect(page.locator(".finder__understood .chip")).to_have_text(
        [re.compile("^Specialty: Depression")]
    )
    assert_accessible(page, "understood chips")


def test_on_a_phone_the_filters_panel_keeps_its_show_button_in_view(new_context, directory):
    page = new_context("phone").new_page()
    page.goto("/therapists/?language=spanish")
    page.locator("details.finder__filters > summary").click()
    show = page.get_by_role("button", name="Show 2 therapists")
    page.locator("#finder-specialty-depression").scroll_into_view_if_needed()
    box = show.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= VIEWPORTS["phone"]["height"], box
    # An option that would give nothing is shown disabled.
    expect(page.locator("#finder-age-teens")).to_be_disabled()
    assert_accessible(page, "filters panel open")


def test_skip_link_and_back_to_results_keep_the_readers_place(page, directory):
    page.goto("/therapists/?location=Portland")
    skip = page.get_by_role("link", name="Skip to results")
    skip.focus()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("#finder-results-heading")).to_be_focused()

    page.get_by_role("link", name=re.compile("^Mica Sample")).click()
    page.get_by_role("link", name="Back to results").click()
    page.wait_for_url(re.compile(r"/therapists/\?location=Portland$"))
    expect(page.locator("#finder-results-heading")).to_have_text("2 therapists found")


def test_report_errors_are_summarised_and_focused(page, directory):
    page.goto("/therapists/mica-sample/")
    page.locator("#report").get_by_role("button", name="Send report").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    assert page.title().startswith("Error: ")
    assert_accessible(page, "report form with errors")
    page.goto("/therapists/mica-sample/report/")
    assert page.url.endswith("/therapists/mica-sample/#report")
