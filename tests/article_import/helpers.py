"""Building article files and running import_articles in tests."""

import io
import textwrap
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image


def png_bytes(color=(90, 140, 200), size=(8, 6)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def run_import(*paths) -> tuple[str, str, int]:
    """(stdout, stderr, exit status) of import_articles."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_articles", *map(str, paths), stdout=out, stderr=err)
    except CommandError as exc:
        err.write(str(exc))
        return out.getvalue(), err.getvalue(), 1
    return out.getvalue(), err.getvalue(), 0


def media_files() -> set[str]:
    root = Path(default_storage.location)
    return (
        {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}
        if root.exists()
        else set()
    )


FULL_ARTICLE = """
    ---
    title: Coping with panic attacks
    slug: coping-with-panic
    summary: What a panic attack is and what helps.
    status: published
    author: Dr. Example Rivera
    author_credentials: MD, psychiatrist
    reviewer: Sam Placeholder
    reviewer_credentials: LCSW
    categories: [Anxiety, Coping skills]
    published: 2025-01-15T09:30:00+00:00
    last_reviewed: 2025-06-02
    next_review_due: 2026-01-10
    image: images/hero.png
    image_alt: Blue shapes.
    image_credit: Demo illustration
    image_credit_url: https://example.com/art
    related: [later-article]
    references:
      - title: National Institute of Mental Health. Panic Disorder.
        url: https://www.nimh.nih.gov/health/topics/panic-disorder
      - title: A reference without a link.
    ---
    Intro paragraph.

    ![A calm diagram](images/diagram.png "Diagram")

    ## What happens

    Text.

    ### In the body

    More text.

    ## Frequently Asked Questions

    ### Is it dangerous?

    Usually not, but **see a doctor** the first time.

    ### Can it be treated?

    Yes.

    Several options exist.
"""
