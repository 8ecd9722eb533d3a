"""The finder's GET form.

The finder form is forgiving on purpose: a shared or hand-edited URL with an
unknown specialty, a malformed number or stray control characters still gives
a result page. Whatever cannot be used is dropped and listed in ``ignored`` so
the page can tell the reader, instead of failing or silently changing the search.
"""

import unicodedata

from django import forms
from django.http import QueryDict
from django.utils.choices import BaseChoiceIterator

from .finder.codes import FORMAT_CHOICES, VOCABULARY_GROUPS
from .finder.query import SORT_CONFIRMED, SORT_NEAREST, SORT_RELEVANCE, FinderParams, Term
from .models import Therapist

MAX_QUERY_LENGTH = 200
MAX_VALUE_LENGTH = 200
MAX_VALUES_PER_FILTER = 30
RADIUS_CHOICES = [(5, "5 km"), (10, "10 km"), (25, "25 km"), (50, "50 km"), (100, "100 km")]
DEFAULT_RADIUS_KM = 25
SORT_CHOICES = [
    ("", "Best for this search"),
    (SORT_RELEVANCE, "Relevance to your search words"),
    (SORT_NEAREST, "Nearest first"),
    (SORT_CONFIRMED, "Most recently confirmed availability"),
]
# Parameters that belong to the page, not the search.
PAGE_PARAMETERS = {"page"}


def clean_text(value: str) -> str:
    """Normalise to NFC and drop control and format characters (``\\x00`` and friends)."""
    value = unicodedata.normalize("NFC", value)
    return "".join(
        character
        for character in value
        if unicodedata.category(character) not in {"Cc", "Cf", "Cs", "Co"} or character in "\t\n"
    )


def shorten(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


class TermChoices(BaseChoiceIterator):
    """A vocabulary's ``(slug, name)`` choices, built once per list of terms.

    The finder keeps its vocabularies between requests (finder/vocabularies.py);
    normalising ~400 choices into fields on every request was most of the
    form's cost. A choice iterator is taken by fields as it is.
    """

    def __init__(self, terms: list[Term]):
        self.choices = [(term.slug, term.name) for term in terms]
        self.values = frozenset(slug for slug, _name in self.choices)

    def __iter__(self):
        return iter(self.choices)


# Vocabulary key -> (the list of terms, its choices): the last list seen.
_term_choices: dict[str, tuple[list[Term], TermChoices]] = {}


def term_choices(key: str, terms: list[Term]) -> TermChoices:
    kept = _term_choices.get(key)
    if kept is None or kept[0] is not terms:
        kept = _term_choices[key] = (terms, TermChoices(terms))
    return kept[1]


class FinderForm(forms.Form):
    q = forms.CharField(label="Search by name, practice or words in a profile", required=False)
    location = forms.CharField(
        label="City, region or postal code", required=False, max_length=MAX_VALUE_LENGTH
    )
    lat = forms.FloatField(label="Latitude", required=False, min_value=-90, max_value=90)
    lng = forms.FloatField(label="Longitude", required=False, min_value=-180, max_value=180)
    radius = forms.TypedChoiceField(
        label="Within",
        choices=RADIUS_CHOICES,
        coerce=int,
        required=False,
        empty_value=DEFAULT_RADIUS_KM,
    )
    include_online = forms.BooleanField(
        label="Also show therapists anywhere who see clients online", required=False
    )
    format = forms.MultipleChoiceField(
        label="Session format", choices=FORMAT_CHOICES, required=False
    )
    accepting = forms.BooleanField(label="Accepting new clients (confirmed)", required=False)
    sliding_scale = forms.BooleanField(label="Offers a sliding scale", required=False)
    max_fee = forms.IntegerField(
        label="Maximum fee per session", required=False, min_value=0, max_value=100_000
    )
    gender = forms.MultipleChoiceField(
        label="Therapist's gender", choices=Therapist.Gender.choices, required=False
    )
    sort = forms.ChoiceField(label="Order", choices=SORT_CHOICES, required=False)
    as_text = forms.BooleanField(label="Search these words as text", required=False)

    def __init__(self, query: QueryDict, vocabularies: dict[str, list[Term]]):
        self.vocabularies = vocabularies
        self.ignored: list[str] = []
        super().__init__(self._sanitize(query))
        for group in VOCABULARY_GROUPS:
            self.fields[group.key] = forms.MultipleChoiceField(
                label=group.label,
                choices=term_choices(group.vocabulary, vocabularies[group.vocabulary]),
                required=False,
            )

    def _sanitize(self, query: QueryDict) -> QueryDict:
        """Strip what no filter can use, and note it for the reader."""
        known = {
            *self.base_fields,
            *(group.key for group in VOCABULARY_GROUPS),
            *PAGE_PARAMETERS,
        }
        data = QueryDict(mutable=True)
        for raw_key, raw_values in query.lists():
            key = clean_text(raw_key)[:50]
            if key not in known:
                self.ignored.append(f"an unknown option “{shorten(key)}”")
                continue
            if len(raw_values) > MAX_VALUES_PER_FILTER:
                self.ignored.append(
                    f"{len(raw_values) - MAX_VALUES_PER_FILTER} extra values of “{key}”"
                )
                raw_values = raw_values[:MAX_VALUES_PER_FILTER]
            values = []
            for raw in raw_values:
                value = clean_text(raw)
                if value != raw:
                    self.ignored.append(f"control characters in “{key}”")
                limit = MAX_QUERY_LENGTH if key == "q" else MAX_VALUE_LENGTH
                if len(value) > limit:
                    self.ignored.append(f"the part of “{key}” after {limit} characters")
                    value = value[:limit]
                values.append(value.strip())
            data.setlist(key, values)
        return data

    def params(self) -> FinderParams:
        """The usable part of the search. Call after ``is_valid()``."""
        self.is_valid()
        data = self.cleaned_data
        for name, errors in self.errors.items():
            field = self.fields[name]
            if isinstance(field, forms.MultipleChoiceField):
                continue  # handled below, value by value
            shown = shorten(self.data.get(name, ""))
            self.ignored.append(f"{field.label} “{shown}”: {' '.join(errors)}")

        terms = {}
        for group in VOCABULARY_GROUPS:
            by_slug = {term.slug: term for term in self.vocabularies[group.vocabulary]}
            terms[group.key] = [by_slug[slug] for slug in self._known_values(group.key)]

        latitude, longitude = data.get("lat"), data.get("lng")
        if (latitude is None) != (longitude is None):
            self.ignored.append("a location with only a latitude or only a longitude")
            latitude = longitude = None

        params = FinderParams(
            q=" ".join(data.get("q", "").split()),
            location=" ".join(data.get("location", "").split()),
            latitude=latitude,
            longitude=longitude,
            radius_km=data.get("radius") or DEFAULT_RADIUS_KM,
            include_online=bool(data.get("include_online")),
            formats=self._known_values("format"),
            accepting=bool(data.get("accepting")),
            sliding_scale=bool(data.get("sliding_scale")),
            max_fee=data.get("max_fee"),
            genders=self._known_values("gender"),
            terms=terms,
            sort=data.get("sort", ""),
            as_text=bool(data.get("as_text")),
        )
        if params.sort == SORT_NEAREST and not params.near:
            self.ignored.append("“nearest first”, which needs your location")
        if params.sort == SORT_RELEVANCE and not params.q:
            self.ignored.append("“relevance”, which needs search words")
        return params

    def _known_values(self, name: str) -> list[str]:
        """The valid values of a multi-select, noting any unknown ones."""
        choices = self.fields[name].choices
        if isinstance(choices, TermChoices):
            valid = choices.values
        else:
            valid = {str(value) for value, _label in choices}
        values = []
        for value in self.data.getlist(name):
            if value in valid and value not in values:
                values.append(value)
            elif value not in valid and value:
                label = self.fields[name].label
                self.ignored.append(f"{label}: no option called “{shorten(value)}”")
        return values
