"""The search results page and the article list render exactly the markup they did.

Both pages were rendered once from the templates as they stood before their
rendering was made faster (issue 10), and stored in tests/golden/pages/. The
speed work (cards built in one pass, parts of the layout rendered once) must
leave the HTML readers get the same: same elements, attributes, text and
escaping. Runs of whitespace are compared as one space (indentation is not
markup), and static file names are masked (their hash follows the CSS).

To regenerate after a deliberate change of markup:
``UPDATE_GOLDEN_PAGES=1 .venv/bin/pytest tests/test_templates_golden.py`` on
SQLite and on PostgreSQL (the search page's snippets and order are each
engine's own), then read the diff.
"""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_category, make_contributor
from tests.search.helpers import search_page

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).resolve().parent / "golden" / "pages"
STATIC = re.compile(r'/static/[^"]+')


def normalised(html: str) -> str:
    return STATIC.sub("/static/…", re.sub(r"\s+", " ", html)).strip()


def compare(name: str, html: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN_PAGES"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html)
    assert path.exists(), f"{path} is missing: see this module's docstring"
    assert normalised(html) == normalised(path.read_text())


def _articles():
    """Every review state, characters that need escaping, with and without categories."""
    author = make_contributor(name="Ana <Author> & Co", slug="ana-author")
    reviewer = make_contributor(name="Dr. Rey Viewer", slug="rey-viewer")
    anxiety = make_category(name="Anxiety & worry", slug="anxiety")
    sleep = make_category(name="Sleep", slug="sleep")
    today = timezone.localdate()
    base = timezone.make_aware(datetime.datetime(2026, 5, 4, 9, 30))
    current = {
        "last_reviewed": datetime.date(2026, 3, 4),
        "next_review_due": today + datetime.timedelta(days=400),
    }
    overdue = {
        "last_reviewed": datetime.date(2020, 1, 2),
        "next_review_due": datetime.date(2021, 1, 2),
    }
    states = [
        ("current", current, [anxiety, sleep]),
        ("overdue", overdue, [sleep]),
        ("never", {"last_reviewed": None, "next_review_due": None}, []),
        ("changed", {**current, "changed_since_review": True}, [anxiety]),
    ]
    for n, (state, fields, categories) in enumerate(states):
        article = make_article(
            title=f"Quokka guide <{state}> & more",
            slug=f"quokka-{state}",
            summary=f'A "quoted" summary about quokkas, {state} review.',
            body=(
                f"Quokkas live on islands. A sentence with <em>markup</em> & an ampersand "
                f"about quokka habits and {state} reviews.\n\n## Quokka care\n\nMore text."
            ),
            author=author,
            reviewer=reviewer,
            published_at=base - datetime.timedelta(days=n),
            categories=categories,
            **{k: v for k, v in fields.items() if k != "changed_since_review"},
        )
        if fields.get("changed_since_review"):
            Article.objects.filter(pk=article.pk).update(changed_since_review=True)


def test_search_results_page_renders_the_same_markup(client, settings):
    settings.ARTICLES_PER_PAGE = 3
    _articles()
    response = search_page(client, "quokka")
    assert response.status_code == 200
    compare(f"search-{connection.vendor}.html", response.content.decode())
    # The last page (the never-reviewed article), and a category chosen.
    response = search_page(client, "quokka", page=2)
    compare(f"search-page-2-{connection.vendor}.html", response.content.decode())
    response = search_page(client, "quokka", category="anxiety")
    compare(f"search-category-{connection.vendor}.html", response.content.decode())


def test_article_list_page_renders_the_same_markup(client, settings):
    settings.ARTICLES_PER_PAGE = 3
    _articles()
    compare("article-list.html", client.get("/articles/").content.decode())
    compare("article-list-page-2.html", client.get("/articles/?page=2").content.decode())
