from django import template
from django.http import QueryDict
from django.urls import reverse

register = template.Library()


@register.simple_tag
def finder_url_for(article=None) -> str:
    """The finder's URL filtered by the specialties mapped to the article's categories.

    Reads ``specialty_slugs`` annotated on the prefetched categories (see
    ``therapists.search.category_specialty_slugs``), so it adds no query; without
    that annotation it links to the unfiltered finder.
    """
    finder = reverse("therapists:finder")
    if not article:  # no article in context (home page), or a missing variable ("")
        return finder
    slugs = sorted(
        {
            slug
            for category in article.categories.all()
            for slug in (getattr(category, "specialty_slugs", None) or "").split(",")
            if slug
        }
    )
    if not slugs:
        return finder
    query = QueryDict(mutable=True)
    query.setlist("specialty", slugs)
    return f"{finder}?{query.urlencode()}"
