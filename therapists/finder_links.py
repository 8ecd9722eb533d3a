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

    Reads ``specialty_slugs`` when every category has it annotated (the article
    page does, through ``category_specialty_slugs``), so it adds no query;
    otherwise one query (``Specialty.objects.for_categories``). With no mapped
    specialty it is the unfiltered finder.
    """
    categories = list(categories)
    if all(hasattr(category, "specialty_slugs") for category in categories):
        slugs = {
            slug
            for category in categories
            for slug in (category.specialty_slugs or "").split(",")
            if slug
        }
    else:
        slugs = set(Specialty.objects.for_categories(categories).values_list("slug", flat=True))
    return finder_url(sorted(slugs))


def finder_url(specialty_slugs: list[str]) -> str:
    """The finder filtered by these specialties (any of them); unfiltered when there are none."""
    finder = reverse("therapists:finder")
    if not specialty_slugs:
        return finder
    query = QueryDict(mutable=True)
    query.setlist("specialty", specialty_slugs)
    return f"{finder}?{query.urlencode()}"
