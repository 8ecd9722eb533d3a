"""The markdownx endpoints' addresses, payloads its own preview lets through, image uploads."""

import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

MARKDOWNIFY = reverse("markdownx_markdownify")


UPLOAD = reverse("markdownx_upload")


AJAX = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


# CVE-2024-2319: markdownx's own preview returns all of these unchanged.
CVE_PAYLOADS = [
    "<script>alert(document.cookie)</script>",
    "<img src=x onerror=alert(document.domain)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<svg onload=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<p style="position:fixed;inset:0">overlay</p>',
]


def image_bytes(image_format: str, size=(8, 6), mode="RGB", **save_options) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (200, 30, 30) if mode == "RGB" else 0).save(
        out, image_format, **save_options
    )
    return out.getvalue()


def upload(client, name: str, content: bytes, content_type: str):
    return client.post(
        UPLOAD, {"image": SimpleUploadedFile(name, content, content_type=content_type)}, **AJAX
    )


def stored_path(response) -> str:
    """The storage path behind the URL in markdownx's ``![](url)`` answer."""
    match = re.fullmatch(r"!\[\]\((/media/(.+))\)", response.json()["image_code"])
    assert match, response.json()
    return match.group(2)
