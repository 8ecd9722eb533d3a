"""Links into the therapist finder from the rest of the site."""

from collections.abc import Iterable

from django.http import QueryDict
from django.urls import reverse


def finder_url_for_categories(categories: Iterable) -> str:
    """The finder filtered by the specialties editors mapped to these article categories.

    Reads ``specialty_slugs`` annotated on each category (see
    ``therapists.search.category_specialty_slugs``), so it adds no query; with
    no mapped specialty it is the unfiltered finder.
    """
    finder = reverse("therapists:finder")
    slugs = sorted(
        {
            slug
            for category in categories
            for slug in (getattr(category, "specialty_slugs", None) or "").split(",")
            if slug
        }
    )
    if not slugs:
        return finder
    query = QueryDict(mutable=True)
    query.setlist("specialty", slugs)
    return f"{finder}?{query.urlencode()}"
