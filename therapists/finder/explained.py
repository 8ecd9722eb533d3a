"""What the finder page says about the words a reader typed: the filters they
became (removable chips), the link to search them as text instead, the headline,
and, when nothing matches, the filters and places the words resemble.
"""

import dataclasses
import difflib

from django.db import connection
from django.db.models import Count, Q
from django.http import QueryDict

from ..models import Therapist
from .codes import VOCABULARY_GROUPS
from .geo import location_filter
from .presentation import Link, _url, _without, params_querydict
from .query import FinderParams, FinderSearch, Term
from .understanding import Understanding, index_for, normalise

RESEMBLANCE_CUTOFF = 0.7
MAX_RESEMBLANCES = 6


def understood_links(understanding: Understanding, query: QueryDict) -> list[Link]:
    """One chip per understood filter, each linking to the search without it."""
    links = []
    for item in understanding.understood:
        if item.key == "location":
            url = _without(query, "location")
        else:
            url = _without(query, item.key, value=item.value)
        links.append(Link(item.label, url))
    return links


def as_text_url(typed_params: FinderParams) -> str:
    """The search as the reader typed it, with the words searched as text only."""
    query = params_querydict(dataclasses.replace(typed_params, as_text=True))
    return _url(query)


def headline(params: FinderParams, total: int, has_filters: bool) -> str:
    """The results heading: how many, and whether words, filters or both were searched."""
    words = f"“{params.q}”" if params.q else ""
    if total:
        found = f"{total} therapist{'s' if total != 1 else ''} found"
        if words and has_filters:
            return f"{found} for {words} with your filters"
        return f"{found} for {words}" if words else found
    if words and has_filters:
        return f"No therapists match {words} with these filters"
    if words:
        return f"No therapists found for {words}"
    return "No therapists match all of these filters"


def panel_active(params: FinderParams) -> int:
    """How many choices are set inside the "Filters" panel (not the words or the place)."""
    return (
        len(params.formats)
        + len(params.genders)
        + sum(len(terms) for terms in params.terms.values())
        + params.accepting
        + params.sliding_scale
        + (params.max_fee is not None)
    )


MAX_LISTED_CITIES = 2000


def _listed_cities() -> list[str]:
    """The distinct cities of listed listings (at most MAX_LISTED_CITIES)."""
    if connection.vendor == "postgresql":
        return _listed_cities_by_index()
    return list(
        Therapist.objects.listed()
        .exclude(city="")
        .order_by()
        .values_list("city", flat=True)
        .distinct()[:MAX_LISTED_CITIES]
    )


def _listed_cities_by_index() -> list[str]:
    """PostgreSQL: one probe of the city index per distinct city (a "loose index scan").

    A plain DISTINCT reads every listed row: 200 ms at 100,000 listings and
    linear beyond, for a few dozen cities. Each step here asks the index for
    the first listed city after the previous one.
    """
    table = connection.ops.quote_name(Therapist._meta.db_table)
    # The first listed city after {after}.
    listed = "SELECT city FROM " + table + " WHERE is_published AND city > {after}"  # noqa: S608
    listed += " ORDER BY city LIMIT 1"
    sql = (
        f"WITH RECURSIVE listed_city (city) AS (({listed.format(after='%s')}) "  # noqa: S608
        f"UNION ALL SELECT ({listed.format(after='listed_city.city')}) FROM listed_city "
        "WHERE listed_city.city IS NOT NULL) "
        "SELECT city FROM listed_city WHERE city IS NOT NULL LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, ["", MAX_LISTED_CITIES])
        return [city for (city,) in cursor.fetchall()]


def _term_condition(group_key: str, term: Term) -> Q:
    group = next(group for group in VOCABULARY_GROUPS if group.key == group_key)
    return Q(
        pk__in=group.through.objects.filter(**{group.through_column: term.pk}).values(
            "therapist_id"
        )
    )


def resemblances(
    search: FinderSearch, vocabularies: dict[str, list[Term]], query: QueryDict
) -> list[Link]:
    """For an empty result with search words: filters and places those words resemble,
    each with how many listings the search would give with it instead of the words.

    Two queries: the listed cities, and one aggregate of every candidate's count.
    """
    words = [word for word in normalise(search.params.q).split() if len(word) >= 3]
    if not words:
        return []
    index = index_for(vocabularies)
    candidates: dict[str, tuple[str, str, Q]] = {}  # label -> (key, value, condition)
    for word in words:
        close = difflib.get_close_matches(word, index.single_words, n=3, cutoff=RESEMBLANCE_CUTOFF)
        close += [key for key in index.single_words if len(word) >= 4 and key.startswith(word)]
        for key in close:
            group_key, label, term = index.terms[key]
            candidates.setdefault(label, (group_key, term.slug, _term_condition(group_key, term)))
    cities = {city.casefold(): city for city in _listed_cities()}
    for word in words:
        for close in difflib.get_close_matches(word, cities, n=2, cutoff=RESEMBLANCE_CUTOFF):
            city = cities[close]
            candidates.setdefault(f"Location: {city}", ("location", city, location_filter(city)))
    if not candidates:
        return []
    chosen = list(candidates.items())[: MAX_RESEMBLANCES * 2]
    counts = search.base(without=["q"]).aggregate(
        **{
            f"c{n}": Count("pk", filter=condition)
            for n, (_l, (_k, _v, condition)) in enumerate(chosen)
        }
    )
    links = []
    for n, (label, (key, value, _condition)) in enumerate(chosen):
        if not counts[f"c{n}"]:
            continue
        changed = query.copy()
        for name in ("q", "as_text", "sort"):
            changed.pop(name, None)
        if key == "location":
            changed[key] = value
        elif value not in changed.getlist(key):
            changed.appendlist(key, value)
        links.append(Link(label, _url(changed), counts[f"c{n}"]))
    links.sort(key=lambda link: -link.count)
    return links[:MAX_RESEMBLANCES]
