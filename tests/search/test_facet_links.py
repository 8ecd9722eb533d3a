"""The category filters built in Python (articles/search/facet_links.py) equal the
template include they replaced, byte for byte, whatever the query and names hold."""

import pytest
from django.template import Context, Template

from articles.search.facet_links import facet_nav
from articles.search.service import Facet, SearchOutcome

# templates/articles/search/facets.html as it stood before facet_links.py.
TEMPLATE = Template(
    '<nav class="search-facets" aria-label="Filter results by category">\n'
    "  <ul>\n"
    '    <li><a href="?q={{ outcome.query|urlencode }}"{% if not outcome.category %}'
    ' aria-current="page"{% endif %}>All categories <span class="count">'
    "({{ outcome.total }})</span></a></li>\n"
    "    {% for facet in outcome.facets %}\n"
    '    <li><a href="?q={{ outcome.query|urlencode }}&amp;category={{ facet.slug }}"'
    '{% if facet.slug == outcome.category %} aria-current="page"{% endif %}>{{ facet.name }}'
    ' <span class="count">({{ facet.count }})</span></a></li>\n'
    "    {% endfor %}\n"
    "  </ul>\n"
    "</nav>\n"
)

FACETS = [
    Facet("anxiety", "Anxiety & worry", 1742),
    Facet("sleep", 'Sleep <"rest">', 12),
    Facet("grief-loss", "Grief & loss's", 1234567),
]


@pytest.mark.parametrize(
    "query", ["anxiety", '"panic attacks" -x', "a&b <c> 'd' é/ü ?=#%", "kill myself"]
)
@pytest.mark.parametrize("category", ["", "sleep", "none-of-these"])
@pytest.mark.parametrize("thousands", [False, True])
def test_filters_equal_what_the_template_rendered(settings, query, category, thousands):
    settings.USE_THOUSAND_SEPARATOR = thousands
    for facets in (FACETS, FACETS[:1]):
        outcome = SearchOutcome(query=query, category=category, total=98765, facets=facets)
        assert facet_nav(outcome) == TEMPLATE.render(Context({"outcome": outcome}))
