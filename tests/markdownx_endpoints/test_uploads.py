"""Editor image uploads: re-encoded, stripped of metadata, refused unless real images."""

import io
import os
import re

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from tests.markdownx_endpoints.helpers import AJAX, UPLOAD, image_bytes, stored_path, upload


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("image_format", "content_type", "extension"),
    [
        ("PNG", "image/png", "png"),
        ("JPEG", "image/jpeg", "jpg"),
        ("GIF", "image/gif", "gif"),
        ("WEBP", "image/webp", "webp"),
    ],
)
def test_real_images_are_accepted_reencoded_and_named_by_format(
    staff_client, image_format, content_type, extension
):
    response = upload(staff_client, "holiday photo.bin", image_bytes(image_format), content_type)
    assert response.status_code == 200, response.content
    path = stored_path(response)
    assert re.fullmatch(rf"markdownx/[0-9a-f]{{32}}\.{extension}", path)
    with default_storage.open(path) as stored, Image.open(stored) as image:
        assert image.format == image_format
        assert image.size == (8, 6)


@pytest.mark.django_db
def test_jpeg_metadata_is_stripped(staff_client):
    exif = Image.Exif()
    exif[0x010F] = "ExampleCam"  # Make
    exif[0x8825] = {2: (51.0, 30.0, 0.0)}  # GPS latitude
    content = image_bytes("JPEG", exif=exif.tobytes(), comment=b"private note")
    assert b"ExampleCam" in content
    response = upload(staff_client, "photo.jpg", content, "image/jpeg")
    assert response.status_code == 200
    with default_storage.open(stored_path(response)) as stored:
        data = stored.read()
    assert b"ExampleCam" not in data
    assert b"private note" not in data
    assert b"Exif" not in data


@pytest.mark.django_db
def test_png_text_chunks_are_stripped(staff_client):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Jane Example, 12 Example Street")
    content = image_bytes("PNG", pnginfo=info)
    assert b"12 Example Street" in content
    response = upload(staff_client, "notes.png", content, "image/png")
    with default_storage.open(stored_path(response)) as stored:
        assert b"12 Example Street" not in stored.read()


@pytest.mark.django_db
def test_very_large_images_are_scaled_down(staff_client):
    from mhsite.images import DEFAULT_MAX_DIMENSION as MAX_DIMENSION

    response = upload(
        staff_client, "wide.png", image_bytes("PNG", size=(MAX_DIMENSION + 600, 60)), "image/png"
    )
    with default_storage.open(stored_path(response)) as stored, Image.open(stored) as image:
        assert image.size[0] == MAX_DIMENSION


@pytest.mark.django_db
def test_name_follows_decoded_format_not_client_claims(staff_client):
    response = upload(staff_client, "picture.gif", image_bytes("PNG"), "image/gif")
    assert response.status_code == 200
    assert stored_path(response).endswith(".png")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("page.html", b"<html><script>alert(1)</script></html>", "image/gif"),
        ("page.gif", b"<!doctype html><script>alert(1)</script>", "image/gif"),
        (
            "drawing.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
            "image/svg+xml",
        ),
        ("drawing.png", b'<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>', "image/png"),
        ("polyglot.gif", b"GIF89a<html><script>alert(1)</script></html>", "image/gif"),
        ("empty.png", b"", "image/png"),
        ("bitmap.bmp", None, "image/bmp"),
        ("scan.tiff", None, "image/tiff"),
    ],
)
def test_files_that_are_not_accepted_images_are_refused_and_not_stored(
    staff_client, name, content, content_type
):
    if content is None:
        content = image_bytes(name.rsplit(".", 1)[1].replace("tiff", "TIFF").upper())
    response = upload(staff_client, name, content, content_type)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["image"][0]
    assert not default_storage.exists("markdownx") or not default_storage.listdir("markdownx")[1]


@pytest.mark.django_db
def test_polyglot_valid_gif_with_trailing_html_is_stored_without_the_html(staff_client):
    content = image_bytes("GIF") + b"<html><script>alert(1)</script></html>"
    response = upload(staff_client, "trick.html", content, "image/gif")
    assert response.status_code == 200
    path = stored_path(response)
    assert path.endswith(".gif")
    with default_storage.open(path) as stored:
        data = stored.read()
    assert b"<script" not in data
    assert data.startswith(b"GIF8")


@pytest.mark.django_db
def test_truncated_image_is_refused(staff_client):
    content = image_bytes("PNG", size=(64, 64))[:-40]
    response = upload(staff_client, "cut.png", content, "image/png")
    assert response.status_code == 400


@pytest.mark.django_db
def test_oversize_file_is_refused(staff_client, settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 1024
    noisy = Image.frombytes("RGB", (64, 64), os.urandom(64 * 64 * 3))  # incompressible
    out = io.BytesIO()
    noisy.save(out, "PNG")
    assert out.tell() > 1024
    response = upload(staff_client, "big.png", out.getvalue(), "image/png")
    assert response.status_code == 400
    assert "too large" in response.json()["image"][0]


@pytest.mark.django_db
def test_decompression_bomb_is_refused_before_decoding(staff_client, settings):
    settings.IMAGE_UPLOAD_MAX_PIXELS = 1_000_000
    # A few kilobytes of PNG that would decode to 4000×4000 pixels.
    content = image_bytes("PNG", size=(4000, 4000), mode="L", optimize=True)
    assert len(content) < 50_000
    response = upload(staff_client, "bomb.png", content, "image/png")
    assert response.status_code == 400
    assert "pixels" in response.json()["image"][0]


@pytest.mark.django_db
def test_upload_without_file_is_a_clear_400(staff_client):
    response = staff_client.post(UPLOAD, {}, **AJAX)
    assert response.status_code == 400
    assert response.json() == {"image": ["Choose an image file to upload."]}


@pytest.mark.django_db
def test_uploaded_image_markdown_renders_through_the_sanitizer(staff_client):
    from mhsite.markdown import render_markdown

    response = upload(staff_client, "a.png", image_bytes("PNG"), "image/png")
    html = render_markdown(response.json()["image_code"])
    assert f'src="/media/{stored_path(response)}"' in html
