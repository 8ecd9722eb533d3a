"""axe-core in Chromium: zero WCAG 2.2 A/AA violations on every public page type.

Each page is checked at a phone width and a desktop width, and a full-page
screenshot of each is saved for people to look at (the folder is printed at
the end of the run).

axe is injected with page.evaluate, which goes through the DevTools protocol
and is not governed by the page's Content-Security-Policy, so these pages are
audited with the site's real CSP in force (the test asserts the header) and
no ``bypass_csp`` is needed; the planted-violation test proves axe really ran.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.editorial import ensure_default_pages
from tests.browser.axe_checks import describe_violations, wcag_violations
from tests.browser.viewports import VIEWPORTS
from tests.factories import (
    link_related,
    make_article,
    make_category,
    make_contributor,
    make_faq,
    make_reference,
)
from tests.therapist_factories import make_term, make_therapist
from therapists.models import Therapist

pytestmark = pytest.mark.browser

ARTICLE_BODY = """\
Feeling low now and then is part of being human. This demo article describes
when low mood may be worth talking about with a professional.

## Common signs

- Losing interest in things you used to enjoy
- Sleeping much more or much less than usual

### When signs last

If signs last for more than two weeks, consider speaking with a clinician.

## Getting support

Talking with someone you trust is a good first step. A [primary care
clinician](https://example.com/care) can help you find options.

## Looking after yourself

Small routines, such as regular meals and time outdoors, can help.
"""


@pytest.fixture
def public_urls() -> dict[str, str]:
    """One published example of every public page type, built in the test database."""
    # Live-server tests empty the tables between tests, rows from data migrations too.
    ensure_default_pages()
    category = make_category(
        name="Depression", slug="depression", description="Low mood and depression."
    )
    author = make_contributor(name="Alex Example", slug="alex-example", credentials="MA")
    reviewer = make_contributor(
        name="Dr. Sam Sample", slug="sam-sample", credentials="MD, psychiatrist"
    )
    article = make_article(
        title="Understanding low mood",
        slug="understanding-low-mood",
        summary="What low mood is, and when to seek support.",
        body=ARTICLE_BODY,
        author=author,
        reviewer=reviewer,
        categories=[category],
        # Overdue for review, so the page shows the review stamp and the overdue notice.
        last_reviewed=timezone.localdate() - datetime.timedelta(days=500),
    )
    make_faq(article, question="Is low mood the same as depression?", answer="Not always.")
    make_faq(article, question="Who can I talk to?", answer="A clinician you trust.")
    make_reference(article, citation="Example Author. An example study. Example Journal, 2024.")
    related = make_article(
        title="Sleep and mood",
        slug="sleep-and-mood",
        categories=[category],
        published_at=timezone.now() - datetime.timedelta(days=3),
    )
    link_related(article, related)

    anxiety = make_term("specialty", "Anxiety", slug="anxiety")
    spanish = make_term("language", "Spanish", slug="spanish")
    therapist = make_therapist(
        name="Rowan Example",
        slug="rowan-example",
        pronouns="they/them",
        practice_name="Example Counselling",
        fee_min=80,
        fee_max=140,
        sliding_scale=True,
        website="https://example.com/rowan",
        phone="+1 555 0100",
        specialties=[anxiety],
        languages=[spanish],
    )
    make_therapist(name="Mica Sample", slug="mica-sample", specialties=[anxiety])
    make_therapist(
        name="Jules Placeholder",
        slug="jules-placeholder",
        availability=Therapist.Availability.WAITLIST,
    )
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "category": category.get_absolute_url(),
        "contributor": reviewer.get_absolute_url(),
        "how-we-review": "/how-we-review/",
        "finder": "/therapists/",
        "finder-filtered": "/therapists/?specialty=anxiety&language=spanish&accepting=on",
        "profile": therapist.get_absolute_url(),
        "not-found": "/this-page-does-not-exist/",
    }


def test_audit_reports_violations_planted_in_a_real_page(page, public_urls):
    """Guards the audit itself: zero violations must mean axe ran, not that CSP stopped it."""
    page.goto(public_urls["home"])
    page.evaluate(
        """() => {
            const main = document.querySelector("main");
            const img = document.createElement("img");
            img.src = "/static/does-not-matter.png";
            main.append(img);
            const faint = document.createElement("p");
            faint.textContent = "Barely visible text";
            faint.className = "planted-faint";
            main.append(faint);
            const sheet = new CSSStyleSheet();
            sheet.replaceSync(".planted-faint { color: #eee; background: #fff; }");
            document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
        }"""
    )
    found = {violation["id"] for violation in wcag_violations(page)}
    assert {"image-alt", "color-contrast"} <= found


PAGES = [
    "home",
    "article",
    "category",
    "contributor",
    "how-we-review",
    "finder",
    "finder-filtered",
    "profile",
    "not-found",
]
DOCUMENT_404 = "Failed to load resource: the server responded with a status of 404 (Not Found)"


def audit_page(page, url: str, name: str, screenshot) -> None:
    """Load one page, screenshot it at both widths, and assert what a reader must get."""
    page.console_errors.clear()
    page.emulate_media(color_scheme="light")
    response = page.goto(url)
    assert response.status == (404 if name == "not-found" else 200)
    # Audited with the site's real CSP in force (see axe_checks.wcag_violations).
    assert "script-src" in response.headers.get("content-security-policy", "")
    if name == "article":
        expect(page.locator(".review-notice")).to_be_visible()
    failures = []
    # The pages are server-rendered and their layout is CSS only, so resizing
    # the loaded page is the same as loading it at the other width.
    for viewport_name, size in VIEWPORTS.items():
        page.set_viewport_size(size)
        screenshot(page, f"{name}-{viewport_name}")
        violations = wcag_violations(page)
        if violations:
            failures.append(f"{url} at {viewport_name} width:\n{describe_violations(violations)}")
    # The stylesheet has a dark scheme: only colours change, so only contrast is re-checked.
    page.emulate_media(color_scheme="dark")
    violations = wcag_violations(page, only_rules=["color-contrast", "link-in-text-block"])
    if violations:
        failures.append(f"{url} in the dark colour scheme:\n{describe_violations(violations)}")
    assert not failures, "\n".join(failures)
    # Under the strict CSP nothing was refused, nothing failed to load, no script failed
    # (the one message on the 404 page is Chromium noting the document's own status).
    assert page.console_errors == ([DOCUMENT_404] if name == "not-found" else [])


def test_every_public_page_type_has_no_wcag_violations_at_phone_and_desktop_widths(
    public_urls, page, screenshot, subtests
):
    # One test with a subtest per page: each page is reported on its own, and
    # the database is set up (and flushed) once rather than seven times.
    for name in PAGES:
        with subtests.test(msg=name):
            audit_page(page, public_urls[name], name, screenshot)
