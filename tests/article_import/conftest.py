"""A folder of article files with images, for the import tests."""

import pytest

from tests.article_import.helpers import FULL_ARTICLE, png_bytes, write


@pytest.fixture
def article_dir(tmp_path):
    folder = tmp_path / "articles"
    (folder / "images").mkdir(parents=True)
    (folder / "images" / "hero.png").write_bytes(png_bytes())
    (folder / "images" / "diagram.png").write_bytes(png_bytes((10, 200, 10)))
    write(folder / "panic.md", FULL_ARTICLE)
    write(folder / "later.md", "---\ntitle: Later article\nslug: later-article\n---\nBody.\n")
    return folder
