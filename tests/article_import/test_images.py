"""Images in imported articles: allowed formats, size limit, re-encoding."""

import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from articles.models import Article
from tests.article_import.helpers import media_files, png_bytes, run_import, write


@pytest.mark.django_db
def test_image_that_is_not_jpeg_png_gif_or_webp_is_refused(tmp_path):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="BMP")
    (tmp_path / "pic.png").write_bytes(buffer.getvalue())
    write(tmp_path / "a.md", "---\ntitle: A\nimage: pic.png\nimage_alt: Alt.\n---\n")
    _, err, status = run_import(tmp_path)
    assert status == 1 and "is not a readable image" in err
    assert "not a JPEG, PNG, GIF or WebP image" in err
    assert not Article.objects.exists() and media_files() == set()


@pytest.mark.django_db
def test_image_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("articles.importing.images.MAX_IMAGE_BYTES", 10)
    (tmp_path / "pic.png").write_bytes(png_bytes())
    write(tmp_path / "a.md", "---\ntitle: A\nimage: pic.png\nimage_alt: Alt.\n---\n")
    _, err, status = run_import(tmp_path)
    assert status == 1 and "'pic.png' is larger than" in err
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_imported_images_are_re_encoded_dropping_bytes_after_the_image(tmp_path):
    smuggled = b"<script>alert(1)</script>"
    (tmp_path / "pic.png").write_bytes(png_bytes() + smuggled)
    (tmp_path / "body.png").write_bytes(png_bytes((1, 2, 3)) + smuggled)
    write(
        tmp_path / "a.md",
        "---\ntitle: A\nimage: pic.png\nimage_alt: Alt.\n---\n![Body](body.png)\n",
    )
    _, err, status = run_import(tmp_path)
    assert status == 0, err
    article = Article.objects.get()
    for name in (article.image.name, "markdownx/body.png"):
        with default_storage.open(name) as stored:
            data = stored.read()
        assert smuggled not in data
        with Image.open(io.BytesIO(data)) as image:
            assert (image.format, image.size) == ("PNG", (8, 6))
