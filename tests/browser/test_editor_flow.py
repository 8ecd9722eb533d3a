"""From the editor's admin to the reader's page, in a real browser.

An editor writes an article with the live Markdown preview and two FAQs, a
medical reviewer records an approved full review, the editor publishes, and
an anonymous reader sees the review stamp, the table of contents and the FAQs.
"""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import BrowserContext, Page, expect

from articles import roles
from articles.models import Article, Review
from tests.factories import make_contributor
from tests.review_factories import make_role_user

pytestmark = pytest.mark.browser

PASSWORD = "pw-for-tests-only"  # set by tests.review_factories.make_role_user

BODY = """\
Worry is a normal response to stress. This **demo article** describes when
worry may be worth talking about.

## What worry feels like

Racing thoughts, tension and trouble sleeping are common.

## When to ask for help

If worry gets in the way of daily life for several weeks, talk to a clinician.
"""


@pytest.fixture
def staff() -> dict:
    # The roles are groups a data migration creates; transactional tests flush
    # the database between tests, so make sure they exist.
    roles.sync_groups()
    editor = make_role_user(roles.EDITOR, "edna-editor")
    reviewer = make_role_user(roles.MEDICAL_REVIEWER, "rey-reviewer")
    contributor = make_contributor(
        name="Dr. Rey Reviewer",
        slug="rey-reviewer",
        credentials="MD, board-certified psychiatrist",
        user=reviewer,
    )
    return {"editor": editor, "reviewer": reviewer, "reviewer_profile": contributor}


def log_in(context: BrowserContext, username: str) -> Page:
    page = context.new_page()
    page.goto("/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_contain_text(username)
    return page


def logged_in_context(context: BrowserContext, user, site_url: str) -> BrowserContext:
    """A context carrying the user's session cookie: no second trip through the login form."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": site_url, "httpOnly": True}]
    )
    return context


def choose_autocomplete(page: Page, field: str, search: str) -> None:
    """Pick a value in one of the admin's autocomplete (select2) fields, as a user does."""
    page.locator(f"#id_{field} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    page.locator(".select2-results__option", has_text=search).first.click()


def test_editor_writes_reviewer_reviews_editor_publishes_and_reader_sees_it(
    new_context, site_url, staff
):
    editor = log_in(new_context(), "edna-editor")

    # Write the article, watching the live preview.
    editor.goto("/admin/articles/article/add/")
    title = editor.get_by_label("Title")
    title.fill("Living with worry")
    # The admin fills the slug from the title on keyup, as when the editor types.
    title.press("End")
    expect(editor.locator("#id_slug")).to_have_value("living-with-worry")
    editor.get_by_label("Summary").fill("What everyday worry is, and when to ask for help.")
    editor.locator("#id_body").fill(BODY)
    preview = editor.locator("#id_body ~ .markdownx-preview")
    expect(preview.locator("h2")).to_have_text(["What worry feels like", "When to ask for help"])
    expect(preview.locator("strong")).to_have_text("demo article")

    # Two FAQs: the first inline row is there already, the second is added.
    editor.locator("#id_faqs-0-question").fill("Is worry the same as an anxiety disorder?")
    editor.locator("#id_faqs-0-answer").fill(
        "Not usually. Worry becomes a concern when it _persists_."
    )
    editor.get_by_role("button", name=re.compile(r"Add another FAQ", re.IGNORECASE)).click()
    editor.locator("#id_faqs-1-question").fill("Who can I talk to?")
    answer = editor.locator("#id_faqs-1-answer")
    answer.fill("A clinician you **trust**.")
    # Rows added with "Add another" get the live preview too.
    expect(editor.locator("#id_faqs-1-answer ~ .markdownx-preview strong")).to_have_text("trust")
    editor.get_by_role("button", name="Save and continue editing").click()
    expect(editor.locator(".messagelist")).to_contain_text("was added successfully")

    article = Article.objects.get(slug="living-with-worry")
    assert article.status == Article.Status.DRAFT
    assert list(article.faqs.values_list("question", flat=True)) == [
        "Is worry the same as an anxiety disorder?",
        "Who can I talk to?",
    ]
    assert article.last_reviewed is None

    # The medical reviewer records an approved full review in their own name.
    reviewer = logged_in_context(new_context(), staff["reviewer"], site_url).new_page()
    reviewer.goto("/admin/articles/review/add/")
    choose_autocomplete(reviewer, "article", "Living with worry")
    reviewer.get_by_label("Scope").select_option(Review.Scope.FULL)
    reviewer.get_by_label("Outcome").select_option(Review.Outcome.APPROVED)
    reviewer.get_by_label("Notes").fill("Checked against current guidance.")
    reviewer.get_by_role("button", name="Save", exact=True).click()
    expect(reviewer.locator(".messagelist")).to_contain_text("was added successfully")

    review = Review.objects.get(article=article)
    assert review.reviewer == staff["reviewer_profile"]
    assert review.reviewed_by_user == staff["reviewer"]
    article.refresh_from_db()
    assert article.last_reviewed == review.reviewed_on
    assert article.reviewer == staff["reviewer_profile"]

    # The editor publishes.
    editor.goto(f"/admin/articles/article/{article.pk}/change/")
    editor.get_by_label("Status:", exact=True).select_option(Article.Status.PUBLISHED)
    editor.get_by_role("button", name="Save", exact=True).click()
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")
    article.refresh_from_db()
    assert article.is_public

    # A reader, with no cookies from either login, reads it.
    reader = new_context(viewport="phone").new_page()
    response = reader.goto("/articles/living-with-worry/")
    assert response.status == 200
    expect(reader.get_by_role("heading", level=1)).to_have_text("Living with worry")
    stamp = reader.locator(".review-stamp")
    expect(stamp).to_contain_text("Medically reviewed by")
    expect(stamp).to_contain_text("Dr. Rey Reviewer, MD, board-certified psychiatrist")
    expect(stamp.locator("time").first).to_have_attribute(
        "datetime", review.reviewed_on.isoformat()
    )
    toc = reader.get_by_role("navigation", name=re.compile("contents|on this page", re.I))
    expect(toc.get_by_role("link")).to_have_text(["What worry feels like", "When to ask for help"])
    toc.get_by_role("link", name="When to ask for help").click()
    expect(reader).to_have_url(re.compile(r"#when-to-ask-for-help$"))
    expect(reader.locator("#when-to-ask-for-help")).to_be_in_viewport()
    faqs = reader.get_by_role("region", name="Frequently asked questions")
    expect(faqs.locator("summary")).to_have_text(
        ["Is worry the same as an anxiety disorder?", "Who can I talk to?"]
    )
    faqs.get_by_text("Who can I talk to?").click()
    expect(faqs.get_by_text("A clinician you trust.")).to_be_visible()
