"""One search result as HTML, built in one pass (``search_tags.search_result``).

The results page shows up to 12 of these. As a template include each cost a
new context, a dozen variable lookups, two ``date`` filters and a ``reverse``
per link (the article's and each category's); this builds the same markup
in one f-string per card, every value escaped as the template did
(``_escape``), and makes the links from a URL reversed once per process.
tests/test_templates_golden.py compares the page with what the template
rendered.
"""

import datetime
import functools
import html
import re

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.dateformat import format as format_date
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

# What the slug path converter accepts, and what reverse() leaves unquoted.
SLUG_RE = re.compile(r"[-a-zA-Z0-9_]+\Z")
PLACEHOLDER = "slug-placeholder-0"
HIGHLIGHT_RE = re.compile("\x02(.*?)\x03", re.DOTALL)
MARKER_RE = re.compile("[\x02\x03]")


def escape_value(value) -> str:
    """``conditional_escape(value)`` as a plain string.

    Django's ``escape`` is ``html.escape(str(value))`` behind a wrapper that
    checks every argument for lazy strings; ``format_html`` added another
    layer per value. A card has about ten values, a page twelve cards: the
    wrappers cost more than the escaping (about 1 ms a page).
    """
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


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
    text = html.escape(snippet or "")
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
        machine, month = _month(article.last_reviewed, get_language())
        text = f'Reviewed <time datetime="{escape_value(machine)}">{escape_value(month)}</time>'
        return kind, mark_safe(text)  # noqa: S308 - escaped above
    return kind, "Review overdue" if rank == 1 else "Not yet medically reviewed"


def _categories(article) -> SafeString | str:
    categories = article.page_categories  # (slug, name) pairs, by name
    if not categories:
        return ""
    links = ((escape_value(slug_url("articles:category", c.slug)), c.name) for c in categories)
    items = "".join(f'<li><a href="{url}">{escape_value(name)}</a></li>' for url, name in links)
    return mark_safe(f'<ul class="tags" aria-label="Categories">\n    {items}\n  </ul>')  # noqa: S308


def result_card(article) -> SafeString:
    """``article`` from ``service.page_articles``: review rank, snippet, page categories."""
    snippet = ""
    if article.snippet:
        snippet = f'<p class="search-result__snippet">{highlighted(article.snippet)}</p>'
    kind, review = _review(article)
    url = escape_value(slug_url("articles:detail", article.slug))
    return mark_safe(  # noqa: S308 - every value escaped
        '\n<article class="card search-result">\n'
        f'  <h3 class="card__title"><a href="{url}">{escape_value(article.title)}</a></h3>\n'
        f'  <p class="card__summary">{escape_value(article.summary)}</p>\n'
        f"  {snippet}\n"
        '  <p class="card__meta search-result__review search-result__review--'
        f'{escape_value(kind)}">\n'
        f"    {escape_value(review)}\n"
        "  </p>\n"
        f"  {_categories(article)}\n"
        "</article>\n"
    )
