"""Default texts of the editorial pages (``EditorialPage``), installed once.

A data migration calls ``ensure_default_pages`` so that every site has a "How
we review" page for the review stamp to link to; ``loaddemo`` calls it again,
harmlessly. A page that exists is never overwritten: editors own its text.
"""

from pathlib import Path

from django.utils import timezone

from .models import EditorialPage

DEFAULTS_DIR = Path(__file__).resolve().parent / "defaults"
DEFAULT_PAGES = {
    EditorialPage.Key.HOW_WE_REVIEW: ("How we review our articles", "how-we-review.md"),
}


def ensure_default_pages(model=EditorialPage) -> list[str]:
    """Create each missing page from its default text; returns the titles created.

    ``model`` is the historical model when a migration calls this: its
    ``save`` does not render Markdown, so the HTML is rendered here.
    """
    created = []
    for key, (title, file_name) in DEFAULT_PAGES.items():
        if model.objects.filter(key=key).exists():
            continue
        body = (DEFAULTS_DIR / file_name).read_text(encoding="utf-8")
        model.objects.create(
            key=key,
            title=title,
            body=body,
            body_html=EditorialPage.render(body),
            last_reviewed=timezone.localdate(),
        )
        created.append(title)
    return created
