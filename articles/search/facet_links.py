"""The results page's category filters as HTML (``search_tags.search_facets``).

The same markup the template include rendered, built in one pass: as a
``{% for %}`` over 20-odd categories each link cost a dozen variable lookups,
an ``urlencode`` of the same query and a localised count. Values are escaped
as the template escaped them and counts localised as it did
(``formats.localize``); tests/test_templates_golden.py compares the page with
what the template rendered.
"""

from urllib.parse import quote

from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe

from .cards import escape_value


def _link(href: str, current: bool, name: str, count: int) -> str:
    aria = ' aria-current="page"' if current else ""
    return (
        f'<li><a href="{href}"{aria}>{escape_value(name)} '
        f'<span class="count">({escape_value(localize(count))})</span></a></li>'
    )


def facet_nav(outcome) -> SafeString:
    """``outcome``: a ``service.SearchOutcome`` with facets."""
    # ``outcome.query|urlencode`` as the template wrote it: quote(), then escaped.
    query = escape_value(quote(outcome.query))
    links = [_link(f"?q={query}", not outcome.category, "All categories", outcome.total)]
    links += [
        _link(
            f"?q={query}&amp;category={escape_value(facet.slug)}",
            facet.slug == outcome.category,
            facet.name,
            facet.count,
        )
        for facet in outcome.facets
    ]
    items = "".join(f"\n    {link}\n    " for link in links[1:])
    return mark_safe(  # noqa: S308 - every value escaped
        '<nav class="search-facets" aria-label="Filter results by category">\n'
        f"  <ul>\n    {links[0]}\n    {items}\n  </ul>\n</nav>\n"
    )
