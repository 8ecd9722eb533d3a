"""The admin's Markdown editor in Chromium, with the site's real CSP: the live preview
works for the body and for FAQ rows added later, and shows sanitized HTML only."""

import pytest

from tests.factories import make_staff_user

pytestmark = pytest.mark.browser

PAYLOAD = (
    "**Bold words**\n\n"
    '<img src=x onerror="window.pwned = 1">\n\n'
    "[click](javascript:window.pwned=2)\n\n<script>window.pwned = 3</script>"
)


@pytest.fixture
def editor_page(page, transactional_db):
    make_staff_user("browser-editor")
    page.goto("/admin/login/?next=/admin/articles/article/add/")
    page.fill("#id_username", "browser-editor")
    page.fill("#id_password", "pw-for-tests-only")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/articles/article/add/")
    return page


def test_body_preview_renders_markdown_and_never_runs_script(editor_page):
    page = editor_page
    page.fill("#id_body", PAYLOAD)
    preview = page.locator("#id_body ~ .markdownx-preview")
    preview.locator("strong", has_text="Bold words").wait_for()
    html = preview.inner_html()
    assert "onerror" not in html and "<script" not in html and "javascript:" not in html
    page.locator("#id_body ~ .markdownx-preview a", has_text="click").click()
    assert page.evaluate("window.pwned") is None


def test_faq_rows_added_later_get_the_live_preview(editor_page):
    page = editor_page
    page.click("#faqs-group .add-row a")
    answer = page.locator("#id_faqs-1-answer")
    answer.fill("*Gently* does it.")
    page.locator("#id_faqs-1-answer ~ .markdownx-preview em", has_text="Gently").wait_for()
    # The row present at load keeps its own preview.
    page.fill("#id_faqs-0-answer", "**First**")
    page.locator("#id_faqs-0-answer ~ .markdownx-preview strong", has_text="First").wait_for()
