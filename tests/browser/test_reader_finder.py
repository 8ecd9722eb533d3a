"""A reader narrows the therapist finder by clicking filters, opens a profile and reports it."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.therapist_factories import make_term, make_therapist
from therapists.models import OutdatedInfoReport, Therapist
from therapists.reports import THANK_YOU_MESSAGE

pytestmark = pytest.mark.browser


@pytest.fixture
def listings() -> dict[str, Therapist]:
    anxiety = make_term("specialty", "Anxiety", slug="anxiety")
    depression = make_term("specialty", "Depression", slug="depression")
    english = make_term("language", "English", slug="english")
    spanish = make_term("language", "Spanish", slug="spanish")
    accepting = Therapist.Availability.ACCEPTING
    return {
        "rowan": make_therapist(
            name="Rowan Example",
            slug="rowan-example",
            specialties=[anxiety],
            languages=[english],
            availability=accepting,
        ),
        "mica": make_therapist(
            name="Mica Sample",
            slug="mica-sample",
            specialties=[anxiety],
            languages=[spanish],
            availability=Therapist.Availability.WAITLIST,
        ),
        "jules": make_therapist(
            name="Jules Placeholder",
            slug="jules-placeholder",
            specialties=[depression],
            languages=[english],
            availability=accepting,
        ),
        "noor": make_therapist(
            name="Noor Fictional",
            slug="noor-fictional",
            specialties=[anxiety, depression],
            languages=[spanish],
            availability=Therapist.Availability.NOT_ACCEPTING,
        ),
    }


def results_heading(page: Page):
    return page.locator("#finder-results-heading")


def result_names(page: Page) -> set[str]:
    return {name.split(",")[0] for name in page.locator(".therapist-card__name").all_inner_texts()}


def facet_count(page: Page, checkbox) -> int:
    """The number printed in a filter option's label: how many results ticking it gives."""
    label = page.locator(f"label[for='{checkbox.get_attribute('id')}'] .count")
    return int(re.sub(r"\D", "", label.inner_text()))


def test_reader_filters_the_finder_opens_a_profile_and_reports_outdated_information(
    page: Page, listings
):
    page.goto("/therapists/")
    expect(results_heading(page)).to_have_text("4 therapists found")

    filters = page.locator("details.finder__filters")
    open_filters = page.locator("details.finder__filters > summary")
    open_filters.click()
    anxiety = filters.get_by_role("checkbox", name=re.compile(r"^Anxiety"))
    english = filters.get_by_role("checkbox", name=re.compile(r"^English"))
    accepting = page.get_by_role("checkbox", name=re.compile(r"^Accepting new clients"))
    assert facet_count(page, anxiety) == 3
    assert facet_count(page, english) == 2
    assert facet_count(page, accepting) == 2

    anxiety.check()
    show = page.get_by_role("button", name=re.compile(r"^Show \d+ therapists?$"))
    show.click()
    page.wait_for_url(re.compile(r"specialty=anxiety"))
    expect(results_heading(page)).to_have_text("3 therapists found")
    assert result_names(page) == {"Rowan Example", "Mica Sample", "Noor Fictional"}
    # A search never opens the panel by itself: the results come first.
    expect(filters).not_to_have_attribute("open", "")
    expect(open_filters).to_have_text("Filters (1 active)")
    open_filters.click()
    # The other groups' counts now describe the narrowed results.
    assert anxiety.is_checked()
    assert facet_count(page, english) == 1
    assert facet_count(page, accepting) == 1

    accepting.check()
    show.click()
    page.wait_for_url(re.compile(r"accepting=on"))
    expect(results_heading(page)).to_have_text("1 therapist found")
    assert result_names(page) == {"Rowan Example"}

    page.get_by_role("link", name=re.compile(r"^Rowan Example")).click()
    # The profile's address carries the search, for its "Back to results" link.
    page.wait_for_url(re.compile(r"/therapists/rowan-example/\?from=accepting"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rowan Example")

    report = page.locator("#report")
    report.get_by_label("What is out of date?").select_option(
        OutdatedInfoReport.Problem.AVAILABILITY
    )
    report.get_by_label("Details").fill("The practice told me they have a waitlist now.")
    report.get_by_role("button", name="Send report").click()
    page.wait_for_url(re.compile(r"/therapists/rowan-example/#report$"))
    expect(page.locator(".messages[role=status]")).to_contain_text(THANK_YOU_MESSAGE)

    stored = OutdatedInfoReport.objects.get()
    assert stored.therapist == listings["rowan"]
    assert stored.problem == OutdatedInfoReport.Problem.AVAILABILITY
    assert stored.details == "The practice told me they have a waitlist now."
    assert stored.status == OutdatedInfoReport.Status.NEW
