"""import_articles with bad files and paths: errors, warnings and nothing half-written."""

import pytest

from articles.models import FAQ, Article, Contributor
from tests.article_import.helpers import media_files, png_bytes, run_import, write
from tests.factories import make_article

BAD_FILES = {
    "bad yaml": ("---\ntitle: [unclosed\n---\nBody.\n", "invalid YAML"),
    "no front matter": ("Just Markdown.\n", "does not start with a '---'"),
    "missing title": ("---\nsummary: No title here.\n---\nBody.\n", "title is required"),
    "unknown status": ("---\ntitle: T\nstatus: live\n---\nBody.\n", "unknown status 'live'"),
    "invalid date": (
        "---\ntitle: T\nlast_reviewed: 2025-02-30\n---\n",
        "last_reviewed: '2025-02-30'",
    ),
    "not iso date": ("---\ntitle: T\npublished: 15/01/2025\n---\n", "published: '15/01/2025'"),
    "review due before review": (
        "---\ntitle: T\nlast_reviewed: 2025-05-01\nnext_review_due: 2025-01-01\n---\n",
        "next_review_due is before last_reviewed",
    ),
    "missing image": (
        "---\ntitle: T\nimage: nope.png\nimage_alt: A.\n---\n",
        "'nope.png' not found",
    ),
    "undecodable image": (
        "---\ntitle: T\nimage: fake.png\nimage_alt: A.\n---\n",
        "not a readable image",
    ),
    "image without alt": ("---\ntitle: T\nimage: good.png\n---\n", "image_alt is missing"),
    "image outside folder": (
        "---\ntitle: T\nimage: ../outside.png\nimage_alt: A.\n---\n",
        "outside the Markdown file's folder",
    ),
    "missing body image": (
        "---\ntitle: T\n---\n![Alt](gone.png)\n",
        "body image 'gone.png' not found",
    ),
    "image url": (
        "---\ntitle: T\nimage: https://example.com/a.png\nimage_alt: A.\n---\n",
        "must be a path relative to the Markdown file",
    ),
    "invalid slug": ("---\ntitle: T\nslug: not a slug!\n---\n", "slug 'not a slug!' is not valid"),
    "unknown key": ("---\ntitle: T\nsumary: typo\n---\n", "unknown front matter key(s): sumary"),
    "bad reference url": (
        "---\ntitle: T\nreferences:\n  - title: R\n    url: javascript:alert(1)\n---\n",
        "not a valid http(s) URL",
    ),
    "title too long": ("---\ntitle: " + "x" * 201 + "\nslug: t\n---\n", "title:"),
    "not utf-8": (b"---\ntitle: caf\xe9\n---\n", "not UTF-8"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_is_reported_with_its_reason_changes_nothing_and_others_still_import(
    tmp_path, case
):
    content, reason = BAD_FILES[case]
    folder = tmp_path / "batch"
    folder.mkdir()
    (tmp_path / "outside.png").write_bytes(png_bytes())
    (folder / "good.png").write_bytes(png_bytes())
    (folder / "fake.png").write_bytes(b"<html>not an image</html>")
    write(folder / "1-good.md", "---\ntitle: Good\nimage: good.png\nimage_alt: Fine.\n---\nBody.\n")
    # The bad file targets an existing article: it must be left exactly as it was.
    # (Titled "T", it has the slug "t".)
    existing = make_article(slug="t", title="Untouched", body="Original.")
    bad = folder / "2-bad.md"
    if isinstance(content, bytes):
        bad.write_bytes(content)
    else:
        bad.write_text(content)

    out, err, status = run_import(folder)

    assert status == 1
    assert "2-bad.md" in err and reason in err
    assert Article.objects.filter(slug="good").exists()
    unchanged = Article.objects.get(pk=existing.pk)
    assert (unchanged.title, unchanged.body, unchanged.modified_at) == (
        "Untouched",
        "Original.",
        existing.modified_at,
    )
    assert Article.objects.count() == 2
    assert media_files() == {"articles/good.png"}


@pytest.mark.django_db
def test_failure_after_images_are_copied_removes_the_copies(tmp_path, monkeypatch):
    (tmp_path / "hero.png").write_bytes(png_bytes())
    write(
        tmp_path / "a.md",
        "---\ntitle: A\nimage: hero.png\nimage_alt: Alt.\n---\nBody.\n\n## FAQs\n\n### Q?\n\nA.\n",
    )

    def broken_save(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(FAQ, "save", broken_save)
    _, err, status = run_import(tmp_path / "a.md")
    assert status == 1 and "a.md" in err and "database went away" in err
    assert not Article.objects.exists() and not Contributor.objects.exists()
    assert media_files() == set()


@pytest.mark.django_db
def test_missing_path_is_reported(tmp_path):
    _, err, status = run_import(tmp_path / "nope.md")
    assert status == 1 and "nope.md: no such file or folder" in err


@pytest.mark.django_db
def test_same_slug_twice_in_a_batch_and_body_image_without_alt_are_warnings(tmp_path):
    (tmp_path / "pic.png").write_bytes(png_bytes())
    write(tmp_path / "a.md", "---\ntitle: First\nslug: same\n---\n![](pic.png)\n")
    write(tmp_path / "b.md", "---\ntitle: Second\nslug: same\n---\nBody.\n")
    _, err, status = run_import(tmp_path)
    assert status == 0
    assert "a.md: body image 'pic.png' has no alt text" in err
    assert "b.md: slug 'same' was also imported from" in err
    assert Article.objects.get().title == "Second"
