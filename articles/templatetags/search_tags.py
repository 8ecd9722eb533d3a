from django import template
from django.utils.safestring import SafeString

from articles.search import cards, facet_links

register = template.Library()


@register.filter
def highlighted(snippet: str | None) -> SafeString:
    """A search snippet as HTML: the text escaped, the matched words in <mark>."""
    return cards.highlighted(snippet)


@register.simple_tag
def search_result(article) -> SafeString:
    """One result of the search page (articles/search/cards.py builds it in one pass)."""
    return cards.result_card(article)


@register.simple_tag
def search_facets(outcome) -> SafeString:
    """The category filters of the search page (articles/search/facet_links.py)."""
    return facet_links.facet_nav(outcome)
