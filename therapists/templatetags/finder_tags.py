"""Template tags other pages use to link into the therapist finder."""

from django import template

from ..finder_links import finder_url_for_categories

register = template.Library()


@register.simple_tag
def finder_url_for(categories) -> str:
    """``{% finder_url_for categories as finder_url %}``: the finder filtered by their specialties.

    No query when the categories carry ``specialty_slugs`` (the article page
    annotates them, see articles/page_hooks.py); one otherwise.
    """
    return finder_url_for_categories(categories)
