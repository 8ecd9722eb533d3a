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


DROP_SVG = """
(selector) => {
    const editor = document.querySelector(selector);
    const file = new File(['<svg xmlns="http://www.w3.org/2000/svg"></svg>'], "chart.svg",
                          {type: "image/svg+xml"});
    const transfer = new DataTransfer();
    transfer.items.add(file);
    editor.focus();
    editor.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true,
                                                cancelable: true}));
}
"""


def test_a_refused_upload_shows_the_servers_reason_and_leaves_the_text_alone(editor_page):
    page = editor_page
    page.fill("#id_body", "Before the image.")
    page.evaluate(DROP_SVG, "#id_body")
    note = page.locator(".markdownx-upload-error")
    note.wait_for()
    assert note.inner_text().startswith("Image not uploaded:")
    assert "Invalid response" not in note.inner_text()
    assert len(note.inner_text()) > len("Image not uploaded: ") + 10
    page.wait_for_timeout(200)
    assert page.input_value("#id_body") == "Before the image."


def test_the_references_inline_fits_its_box(editor_page):
    page = editor_page
    widths = page.evaluate(
        """() => {
            const group = document.querySelector("#references-group");
            const table = group.querySelector("table");
            return [table.scrollWidth, group.clientWidth];
        }"""
    )
    table_width, box_width = widths
    assert table_width <= box_width
