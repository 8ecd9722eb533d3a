"""What the finder page shows about a search: its canonical URL, the checkbox
groups with their counts, the active filters with remove links, the ways out
of an empty result, and how the results are ordered. Pure functions of
already-computed data: no queries except ``ways_out``'s single aggregate.
"""

import dataclasses

from django.conf import settings
from django.http import QueryDict

from ..forms import DEFAULT_RADIUS_KM, RADIUS_CHOICES
from ..models import Therapist
from .codes import FORMAT_CHOICES, VOCABULARY_GROUPS
from .query import SORT_NEAREST, SORT_RELEVANCE, FinderParams, FinderSearch, Term


@dataclasses.dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int
    checked: bool
    input_id: str


@dataclasses.dataclass(frozen=True)
class OptionGroup:
    key: str
    legend: str
    options: list[Option]

    @property
    def selected(self) -> int:
        return sum(option.checked for option in self.options)


@dataclasses.dataclass(frozen=True)
class Link:
    text: str
    url: str
    count: int | None = None


def params_querydict(params: FinderParams) -> QueryDict:
    """The search as a canonical query string: only what was used, in a fixed order."""
    query = QueryDict(mutable=True)
    if params.q:
        query["q"] = params.q
    if params.q and params.as_text:
        query["as_text"] = "on"
    if params.location:
        query["location"] = params.location
    if params.near:
        query["lat"] = f"{params.latitude:.5f}"
        query["lng"] = f"{params.longitude:.5f}"
        query["radius"] = str(params.radius_km)
    if params.include_online and params.has_location:
        query["include_online"] = "on"
    if params.formats:
        query.setlist("format", params.formats)
    if params.accepting:
        query["accepting"] = "on"
    for group in VOCABULARY_GROUPS:
        slugs = [term.slug for term in params.terms.get(group.key, [])]
        if slugs:
            query.setlist(group.key, slugs)
    if params.genders:
        query.setlist("gender", params.genders)
    if params.sliding_scale:
        query["sliding_scale"] = "on"
    if params.max_fee is not None:
        query["max_fee"] = str(params.max_fee)
    if params.sort:
        query["sort"] = params.sort
    return query


def _url(query: QueryDict) -> str:
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def _without(query: QueryDict, *keys: str, value: str | None = None) -> str:
    """The URL of the search with ``keys`` removed (or only ``value`` of a single key)."""
    remaining = query.copy()
    for key in keys:
        if value is None:
            remaining.pop(key, None)
        else:
            remaining.setlist(key, [v for v in remaining.getlist(key) if v != value])
    return _url(remaining)


def facet_groups(
    params: FinderParams,
    vocabularies: dict[str, list[Term]],
    vocabulary_counts: dict[str, dict[int, int]],
    summary: dict[str, int],
) -> list[OptionGroup]:
    """Every checkbox group, each option with the number of results ticking it would give."""
    groups = [
        OptionGroup(
            "format",
            "Session format",
            [
                Option(
                    value,
                    label,
                    summary[f"format:{value}"],
                    value in params.formats,
                    f"format-{value}",
                )
                for value, label in FORMAT_CHOICES
            ],
        )
    ]
    for group in VOCABULARY_GROUPS:
        selected = {term.pk for term in params.terms.get(group.key, [])}
        counts = vocabulary_counts.get(group.key, {})
        groups.append(
            OptionGroup(
                group.key,
                group.label,
                [
                    Option(
                        term.slug,
                        term.name,
                        counts.get(term.pk, 0),
                        term.pk in selected,
                        f"{group.key}-{term.slug}",
                    )
                    for term in vocabularies[group.vocabulary]
                ],
            )
        )
    groups.append(
        OptionGroup(
            "gender",
            "Therapist's gender",
            [
                Option(
                    value,
                    label,
                    summary[f"gender:{value}"],
                    value in params.genders,
                    f"gender-{value}",
                )
                for value, label in Therapist.Gender.choices
            ],
        )
    )
    return groups


def _filter_labels(params: FinderParams) -> dict[str, str]:
    """How "Remove …" names each active filter, keyed as FinderSearch.filters names them."""
    labels = {}
    if params.q:
        labels["q"] = f"the search words “{params.q}”"
    if params.near and params.location:
        labels["place"] = "the location and distance limits"
    elif params.near:
        labels["place"] = f"the {params.radius_km} km distance limit"
    elif params.location:
        labels["place"] = f"the location “{params.location}”"
    labels["format"] = "the session format filter"
    labels["accepting"] = "“accepting new clients”"
    labels["sliding_scale"] = "“sliding scale”"
    labels["max_fee"] = f"the maximum fee ({params.max_fee})"
    labels["gender"] = "the gender filter"
    for group in VOCABULARY_GROUPS:
        chosen = " or ".join(term.name for term in params.terms.get(group.key, []))
        labels[group.key] = f"the {group.label.lower()} filter ({chosen})"
    return labels


# The URL parameters behind each named filter of FinderSearch.
FILTER_PARAMETERS = {
    "q": ("q", "sort", "as_text"),
    "place": ("location", "lat", "lng", "radius", "include_online"),
    "format": ("format",),
    "accepting": ("accepting",),
    "sliding_scale": ("sliding_scale",),
    "max_fee": ("max_fee",),
    "gender": ("gender",),
    **{group.key: (group.key,) for group in VOCABULARY_GROUPS},
}


def active_filters(params: FinderParams, query: QueryDict) -> list[Link]:
    """Every active filter value, each with a link to the same search without it."""
    links = []
    if params.q:
        links.append(Link(f"Search words: {params.q}", _without(query, "q", "as_text")))
    if params.location:
        links.append(Link(f"Location: {params.location}", _without(query, "location")))
    if params.near:
        links.append(
            Link(
                f"Within {params.radius_km} km of your location",
                _without(query, "lat", "lng", "radius"),
            )
        )
    if params.include_online and params.has_location:
        links.append(
            Link("Including therapists who see clients online", _without(query, "include_online"))
        )
    for value, label in FORMAT_CHOICES:
        if value in params.formats:
            links.append(Link(f"Format: {label}", _without(query, "format", value=value)))
    if params.accepting:
        links.append(Link("Accepting new clients", _without(query, "accepting")))
    for group in VOCABULARY_GROUPS:
        for term in params.terms.get(group.key, []):
            links.append(
                Link(f"{group.label}: {term.name}", _without(query, group.key, value=term.slug))
            )
    gender_labels = dict(Therapist.Gender.choices)
    for value in params.genders:
        links.append(
            Link(f"Gender: {gender_labels[value]}", _without(query, "gender", value=value))
        )
    if params.sliding_scale:
        links.append(Link("Sliding scale", _without(query, "sliding_scale")))
    if params.max_fee is not None:
        links.append(Link(f"Fee up to {params.max_fee}", _without(query, "max_fee")))
    return links


def wider_radius(radius_km: int) -> int | None:
    larger = [value for value, _label in RADIUS_CHOICES if value > radius_km]
    return larger[0] if larger else None


def ways_out(search: FinderSearch, params: FinderParams, query: QueryDict) -> list[Link]:
    """For an empty result: single changes that would give results, best first."""
    wider = wider_radius(params.radius_km or DEFAULT_RADIUS_KM) if params.near else None
    counts = search.ways_out_counts(wider)
    labels = _filter_labels(params)
    links = []
    if counts.get("wider_radius"):
        widened = query.copy()
        widened["radius"] = str(wider)
        count = counts["wider_radius"]
        links.append(Link(f"Widen the distance to {wider} km", _url(widened), count))
    if counts.get("include_online"):
        with_online = query.copy()
        with_online["include_online"] = "on"
        links.append(
            Link(
                "Include therapists anywhere who see clients online",
                _url(with_online),
                counts["include_online"],
            )
        )
    removals = sorted(
        (
            (count, name)
            for key, count in counts.items()
            if key.startswith("without:") and count
            for name in [key.removeprefix("without:")]
        ),
        reverse=True,
    )
    for count, name in removals[:3]:
        links.append(
            Link(f"Remove {labels[name]}", _without(query, *FILTER_PARAMETERS[name]), count)
        )
    return links


def explain_order(params: FinderParams) -> str:
    """The one sentence that tells readers how results are ordered."""
    days = settings.THERAPIST_AVAILABILITY_STALE_DAYS
    stale = (
        f"listings whose availability has not been confirmed in the last {days} days "
        "come after confirmed ones"
    )
    sort = params.effective_sort
    if sort == SORT_RELEVANCE:
        return (
            "Sorted by how closely each listing matches your search words "
            "(name first, then practice, specialties, approaches and bio; a name spelled "
            f"nearly like your words counts as a name match too); {stale}."
        )
    if sort == SORT_NEAREST:
        return f"Sorted by distance from the point you gave, nearest first; {stale}."
    return f"Sorted by when availability was last confirmed, most recent first, so {stale}."
