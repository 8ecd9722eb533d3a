"""Links into the therapist finder from the rest of the site."""

from collections.abc import Iterable

from django.db.models import OuterRef, StringAgg, Subquery, Value
from django.http import QueryDict
from django.urls import reverse

from .models import Specialty


def category_specialty_slugs() -> Subquery:
    """For a Category queryset: the slugs of the specialties mapped to each category.

    A comma-separated string, as a correlated subquery, so an article page can
    annotate its prefetched categories and link to the filtered finder without
    an extra query.
    """
    through = Specialty.article_categories.through
    return Subquery(
        through.objects.filter(category_id=OuterRef("pk"))
        .order_by()
        .values("category_id")
        .annotate(slugs=StringAgg("specialty__slug", delimiter=Value(",")))
        .values("slugs")
    )


def finder_url_for_categories(categories: Iterable) -> str:
    """The finder filtered by the specialties editors mapped to these article categories.

    Reads ``specialty_slugs`` annotated on each category (see
    ``category_specialty_slugs``), so it adds no query; with
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
