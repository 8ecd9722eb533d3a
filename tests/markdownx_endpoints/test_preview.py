"""The editor's Markdown preview: sanitized, and the same as the public renderer."""

import pytest

from tests.html_elements import active_markup
from tests.markdownx_endpoints.helpers import AJAX, CVE_PAYLOADS, MARKDOWNIFY


@pytest.mark.django_db
@pytest.mark.parametrize("payload", CVE_PAYLOADS)
def test_preview_sanitizes_cve_2024_2319_payloads(staff_client, payload):
    response = staff_client.post(MARKDOWNIFY, {"content": payload}, **AJAX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script" not in html.lower()
    assert active_markup(html) == [], html


@pytest.mark.django_db
def test_preview_matches_the_public_renderer(staff_client):
    from mhsite.markdown import render_markdown

    text = "## Help\n\nSee [our guide](/articles/)."
    assert staff_client.post(MARKDOWNIFY, {"content": text}).content.decode() == (
        render_markdown(text)
    )


@pytest.mark.django_db
def test_preview_without_content_is_empty_not_an_error(staff_client):
    response = staff_client.post(MARKDOWNIFY, {})
    assert response.status_code == 200
    assert response.content == b""
