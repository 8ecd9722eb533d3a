"""What a reader typed in the finder's search box, read the way they meant it.

Words naming a vocabulary term ("spanish", "teens", "ocd", "depresion") become
that filter, a place ("Portland", "Chicago, IL", "97205", "Oregon") becomes the
location, "online" or "in person" the session format; what is left searches
names and profiles as before. ``understand`` runs before the search is built
(params in, params out), so the counts and results see ordinary filters. The
reader can always undo it: ``FinderParams.as_text`` searches the words as typed.
"""

import dataclasses
import difflib
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable

from .codes import FORMAT_CHOICES, VOCABULARY_GROUPS
from .places import POSTAL_CODE, find_places, region_name
from .query import FinderParams, Term
from .words import ALIASES, CHIP_LABELS, FILLER_WORDS, FORMAT_WORDS, GENERIC_WORDS

MAX_WORDS = 12
LONGEST_PHRASE = 4
# A misspelling must be this close (difflib's ratio) to one term's word.
MISSPELLING_CUTOFF = 0.84
MIN_MISSPELLING_LENGTH = 5
# "Works with communities" rather than "Identifies as": what readers mostly mean.
UNDERSTOOD_GROUPS = tuple(group for group in VOCABULARY_GROUPS if group.key != "identity")


@dataclasses.dataclass(frozen=True)
class Understood:
    """Some typed words and the filter they became."""

    words: str  # as typed
    key: str  # the URL parameter: a vocabulary group key, "location" or "format"
    value: str  # the parameter's value: a term slug, a place, a format
    label: str  # "Language: Spanish"


@dataclasses.dataclass(frozen=True)
class Token:
    typed: str
    key: str  # normalised: see ``normalise``
    comma_after: bool = False


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def normalise(text: str) -> str:
    """Lower case, no accents, punctuation as spaces, each word singular."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c if c.isalnum() else " " for c in text if not unicodedata.combining(c))
    return " ".join(_singular(word) for word in text.split())


def tokenise(q: str) -> list[Token]:
    tokens = []
    for piece in q.replace(",", " , ").split()[: MAX_WORDS * 2]:
        if piece == ",":
            if tokens:
                tokens[-1] = dataclasses.replace(tokens[-1], comma_after=True)
            continue
        if key := normalise(piece):
            tokens.append(Token(piece, key))
    return tokens[:MAX_WORDS]


def _term_keys(name: str) -> tuple[set[str], set[str]]:
    """The strong keys of a term's name (whole, without brackets, abbreviation, "and" parts)
    and its weak keys (single words, used only when no other term shares them)."""
    bare = re.sub(r"\(.*?\)", " ", name)
    strong = {normalise(name), normalise(bare)}
    for inside in re.findall(r"\((.*?)\)", name):
        if normalise(inside).isalpha():
            strong.add(normalise(inside))
    parts = re.split(r"\band\b|/", bare, flags=re.IGNORECASE)
    if len(parts) > 1:
        strong.update(normalise(part) for part in parts)
    weak = {word for word in normalise(bare).split() if word not in GENERIC_WORDS}
    return strong - {""}, weak - strong


@dataclasses.dataclass
class Index:
    """Normalised words -> the (group, term) they name, unambiguous keys only."""

    terms: dict[str, tuple[str, str, Term]]  # key -> (group key, chip label, term)
    single_words: list[str]


def build_index(vocabularies: dict[str, list[Term]]) -> Index:
    strong: dict[str, set] = {}
    weak: dict[str, set] = {}
    for group in UNDERSTOOD_GROUPS:
        for term in vocabularies.get(group.vocabulary, []):
            strong_keys, weak_keys = _term_keys(term.name)
            for key in strong_keys:
                strong.setdefault(key, set()).add((group.key, term))
            for key in weak_keys:
                weak.setdefault(key, set()).add((group.key, term))
    terms = {}
    for source in (weak, strong):  # strong keys override weak ones
        for key, found in source.items():
            if len(found) == 1:
                group_key, term = next(iter(found))
                terms[key] = (group_key, f"{CHIP_LABELS[group_key]}: {term.name}", term)
            elif source is strong:
                terms.pop(key, None)
    for alias, target in ALIASES.items():
        if target in terms and alias not in terms:
            terms[alias] = terms[target]
    return Index(terms, sorted(key for key in terms if " " not in key))


@functools.lru_cache(maxsize=8)
def _cached_index(frozen: tuple) -> Index:
    return build_index({kind: list(terms) for kind, terms in frozen})


def index_for(vocabularies: dict[str, list[Term]]) -> Index:
    """The index, built once per distinct set of vocabularies (terms are frozen dataclasses)."""
    return _cached_index(tuple((kind, tuple(terms)) for kind, terms in vocabularies.items()))


@dataclasses.dataclass
class Understanding:
    """The result of reading a search box: the filters found and the words left as text."""

    typed: str
    understood: list[Understood]
    text: str


class _Reader:
    """One pass over the tokens: phrases become terms, formats, then places."""

    def __init__(self, tokens: list[Token], index: Index, location_free: bool):
        self.tokens = tokens
        self.index = index
        self.used = [False] * len(tokens)
        self.understood: list[Understood] = []
        self.location_free = location_free

    def phrase(self, start: int, length: int) -> str:
        return " ".join(token.key for token in self.tokens[start : start + length])

    def typed(self, start: int, length: int) -> str:
        return " ".join(token.typed for token in self.tokens[start : start + length])

    def free(self, start: int, length: int) -> bool:
        span = self.used[start : start + length]
        return len(span) == length and not any(span)

    def take(self, start: int, length: int, key: str, value: str, label: str) -> None:
        self.used[start : start + length] = [True] * length
        words = self.typed(start, length).rstrip(",")
        self.understood.append(Understood(words, key, value, label))

    def spans(self):
        """Every (start, length) of free tokens, longest first, left to right."""
        for length in range(min(LONGEST_PHRASE, len(self.tokens)), 0, -1):
            for start in range(len(self.tokens) - length + 1):
                if self.free(start, length):
                    yield start, length

    def read_terms(self) -> None:
        format_labels = dict(FORMAT_CHOICES)
        for start, length in self.spans():
            if not self.free(start, length):
                continue
            phrase = self.phrase(start, length)
            if phrase in FORMAT_WORDS:
                value = FORMAT_WORDS[phrase]
                self.take(start, length, "format", value, f"Format: {format_labels[value]}")
            elif found := self.index.terms.get(phrase):
                group_key, label, term = found
                self.take(start, length, group_key, term.slug, label)
        for start, token in enumerate(self.tokens):
            if self.used[start] or len(token.key) < MIN_MISSPELLING_LENGTH:
                continue
            if token.key in GENERIC_WORDS or not token.key.isalpha():
                continue
            close = difflib.get_close_matches(
                token.key, self.index.single_words, n=1, cutoff=MISSPELLING_CUTOFF
            )
            if close:
                group_key, label, term = self.index.terms[close[0]]
                self.take(start, 1, group_key, term.slug, label)

    def read_place(self, lookup: Callable[[Iterable[str]], dict[str, str]]) -> None:
        """At most one place: a postal code, "City, Region", a region, or a listing's city."""
        if not self.location_free:
            return
        for start, length in self.spans():
            text = self.typed(start, length).rstrip(",")
            if length <= 2 and POSTAL_CODE.fullmatch(text):
                self.take(start, length, "location", text.upper(), f"Location: {text.upper()}")
                return
        candidates = {}
        for start, length in self.spans():
            words = self.tokens[start : start + length]
            plain = all(w.key.isalpha() and w.key not in FILLER_WORDS for w in words)
            if length <= 3 and plain and not any(w.comma_after for w in words[:-1]):
                candidates[(start, length)] = self.typed(start, length).rstrip(",")
        known = lookup(candidates.values()) if candidates else {}
        for (start, length), text in candidates.items():
            place = known.get(text.casefold()) or region_name(text)
            if not place:
                continue
            region_length, region = self._region_after(start + length)
            if region and place.casefold() in known:
                place = f"{place}, {region}"
            self.take(start, length + region_length, "location", place, f"Location: {place}")
            return

    def _region_after(self, end: int) -> tuple[int, str | None]:
        """A region right after a city ("Portland Oregon", "Chicago, IL"): its length and name.

        Two-letter abbreviations count only after a comma: "in", "or" and "me" are words too.
        """
        after_comma = end > 0 and self.tokens[end - 1].comma_after
        for length in (3, 2, 1):
            if not self.free(end, length):
                continue
            text = self.typed(end, length).rstrip(",")
            if len(text) == 2 and not after_comma:
                continue
            if region := region_name(text):
                return length, region
        return 0, None


def understand(
    params: FinderParams,
    vocabularies: dict[str, list[Term]],
    lookup_places: Callable[[Iterable[str]], dict[str, str]] = find_places,
) -> tuple[FinderParams, Understanding]:
    """The search with the words it understood turned into filters (unchanged when ``as_text``)."""
    if not params.q or params.as_text:
        return params, Understanding(params.q, [], params.q)
    reader = _Reader(tokenise(params.q), index_for(vocabularies), not params.has_location)
    reader.read_terms()
    reader.read_place(lookup_places)
    if not reader.understood:
        return params, Understanding(params.q, [], params.q)
    left = [
        token.typed.strip(",")
        for token, used in zip(reader.tokens, reader.used, strict=True)
        if not used and token.key not in FILLER_WORDS
    ]
    text = " ".join(word for word in left if word)
    return _apply(params, reader.understood, vocabularies, text), Understanding(
        params.q, reader.understood, text
    )


def _apply(params, understood, vocabularies, text) -> FinderParams:
    terms = {key: list(selected) for key, selected in params.terms.items()}
    formats = list(params.formats)
    location = params.location
    groups = {group.key: group for group in VOCABULARY_GROUPS}
    for item in understood:
        if item.key == "location":
            location = item.value
        elif item.key == "format":
            formats += [item.value] if item.value not in formats else []
        else:
            chosen = terms.setdefault(item.key, [])
            vocabulary = vocabularies[groups[item.key].vocabulary]
            term = next(term for term in vocabulary if term.slug == item.value)
            chosen += [term] if term not in chosen else []
    return dataclasses.replace(params, q=text, terms=terms, formats=formats, location=location)
