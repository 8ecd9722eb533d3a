"""One search result as HTML, built in one pass (``search_tags.search_result``).

The results page shows up to 12 of these. As a template include each cost a
new context, a dozen variable lookups, two ``date`` filters and a ``reverse``
per link (the article's and each category's); this builds the same markup
with ``format_html``, which escapes every value as the template did, and makes
the links from a URL reversed once per process. tests/test_templates_golden.py
compares the page with what the template rendered.
"""

import datetime
import functools
import re

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.dateformat import format as format_date
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

# What the slug path converter accepts, and what reverse() leaves unquoted.
SLUG_RE = re.compile(r"[-a-zA-Z0-9_]+\Z")
PLACEHOLDER = "slug-placeholder-0"
HIGHLIGHT_RE = re.compile("\x02(.*?)\x03", re.DOTALL)
MARKER_RE = re.compile("[\x02\x03]")


@functools.lru_cache(maxsize=64)
def _around_slug(view_name: str, prefix: str, urlconf: str | None, root: str) -> tuple[str, str]:
    head, tail = reverse(view_name, kwargs={"slug": PLACEHOLDER}).split(PLACEHOLDER)
    return head, tail


def slug_url(view_name: str, slug: str) -> str:
    """``reverse(view_name, kwargs={"slug": slug})``, reversed once per URL prefix."""
    if not SLUG_RE.match(slug):
        return reverse(view_name, kwargs={"slug": slug})
    head, tail = _around_slug(view_name, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
    return head + slug + tail


def highlighted(snippet: str | None) -> SafeString:
    """A snippet as HTML: the text escaped, the matched words in <mark>.

    The engines mark matches with the control characters STX/ETX, never with
    HTML, so nothing from an article can reach the page unescaped.
    """
    text = escape(snippet or "")
    text = HIGHLIGHT_RE.sub(lambda match: f"<mark>{match.group(1)}</mark>", text)
    return mark_safe(MARKER_RE.sub("", text))  # noqa: S308 - escaped above


@functools.lru_cache(maxsize=1024)
def _month(day: datetime.date, language: str | None) -> tuple[str, str]:
    """``day|date:"Y-m"`` and ``day|date:"F Y"``: the month's name is the language's."""
    return format_date(day, "Y-m"), format_date(day, "F Y")


def _review(article) -> tuple[str, SafeString | str]:
    """The review state's CSS modifier and text (``review_order``: 0 current, 1 overdue, 2 never).

    An article changed since its review says so, under the modifier of its
    review date's state (as the template had it).
    """
    rank = article.review_rank
    if rank == 1:
        kind = "overdue"
    elif rank == 2 or article.changed_since_review:
        kind = "pending"
    else:
        kind = "current"
    if article.changed_since_review:
        return kind, "Updated since its last medical review"
    if rank == 0:
        text = format_html(
            'Reviewed <time datetime="{}">{}</time>', *_month(article.last_reviewed, get_language())
        )
        return kind, text
    return kind, "Review overdue" if rank == 1 else "Not yet medically reviewed"


def _categories(article) -> SafeString | str:
    categories = article.page_categories  # (slug, name) pairs, by name
    if not categories:
        return ""
    items = format_html_join(
        "",
        '<li><a href="{}">{}</a></li>',
        ((slug_url("articles:category", c.slug), c.name) for c in categories),
    )
    return format_html('<ul class="tags" aria-label="Categories">\n    {}\n  </ul>', items)


def result_card(article) -> SafeString:
    """``article`` from ``service.page_articles``: review rank, snippet, page categories."""
    snippet = ""
    if article.snippet:
        snippet = format_html(
            '<p class="search-result__snippet">{}</p>', highlighted(article.snippet)
        )
    kind, review = _review(article)
    return format_html(
        '\n<article class="card search-result">\n'
        '  <h3 class="card__title"><a href="{}">{}</a></h3>\n'
        '  <p class="card__summary">{}</p>\n'
        "  {}\n"
        '  <p class="card__meta search-result__review search-result__review--{}">\n'
        "    {}\n"
        "  </p>\n"
        "  {}\n"
        "</article>\n",
        slug_url("articles:detail", article.slug),
        article.title,
        article.summary,
        snippet,
        kind,
        review,
        _categories(article),
    )
