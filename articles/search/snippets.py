"""Snippets for PostgreSQL results: the sentences of an article that match the query.

``ts_headline`` parses the whole document for each result, which at article
length cost more than the rest of the search together. This picks the best
matching sentences in Python from the stored body text instead. A word matches
a query term when they agree up to the term's last three letters (at least
four), a rough stand-in for stemming ("depressed" for "depression",
"sleeping" for "sleep"); shorter terms match exactly. Matches are marked with
STX/ETX like the engines' snippets (``cards.highlighted`` escapes).
"""

import re

from .text import QueryItem

MAX_WORDS = 32
START, STOP = "\x02", "\x03"


def _prefix(term: str) -> str:
    return term if len(term) < 4 else term[: max(4, len(term) - 3)]


def _terms(items: list[QueryItem]) -> set[str]:
    return {
        word.replace("'", "")
        for item in items
        if not item.negated
        for alternative in item.alternatives
        for word in alternative
    }


def _pattern(items: list[QueryItem]) -> re.Pattern | None:
    terms = _terms(items)
    parts = []
    for term in sorted(terms, key=len, reverse=True):
        prefix = re.escape(_prefix(term))
        parts.append(prefix + r"\w*" if len(term) >= 4 else prefix)
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


def _trim(sentence: str, pattern: re.Pattern) -> str:
    words = sentence.split()
    if len(words) <= MAX_WORDS:
        return sentence.strip()
    first = next((i for i, word in enumerate(words) if pattern.search(word)), 0)
    start = max(0, first - MAX_WORDS // 3)
    text = " ".join(words[start : start + MAX_WORDS])
    return ("… " if start else "") + text + " …"


BOUNDARIES = ".!?\n"
# Every boundary as "." in a copy of the text of the same length, so looking
# back or ahead for a sentence's boundary is one str.rfind / str.find per hit.
ONE_BOUNDARY = str.maketrans(dict.fromkeys(BOUNDARIES, "."))
ENDINGS = ".!?"


def _hits(text: str, pattern: re.Pattern, prefixes: set[str]) -> list[re.Match]:
    """``pattern.finditer(text)``, found faster: the regex is only tried where a
    term's prefix occurs (``str.find``), not at every position of the text."""
    lower = text.lower()
    if len(lower) != len(text):  # a letter whose lower case is longer: positions differ
        return list(pattern.finditer(text))
    starts = set()
    for prefix in prefixes:
        at = lower.find(prefix)
        while at >= 0:
            starts.add(at)
            at = lower.find(prefix, at + 1)
    hits, end = [], 0
    for start in sorted(starts):
        match = pattern.match(text, start) if start >= end else None
        if match:
            hits.append(match)
            end = match.end()
    return hits


def _matching_sentences(texts: list[str], items: list[QueryItem], pattern: re.Pattern) -> list:
    """(-distinct hits, position, sentence) for each sentence with a hit.

    A sentence runs from after the last . ! ? or line break before a hit
    through the next one and the punctuation run it starts. The hits come in
    reading order, so each sentence is found once, from its first hit: its
    start by looking back from that hit to the previous sentence's boundary,
    its end by the next boundary. Splitting whole articles into sentences, or
    listing every boundary of a text, cost more than the search itself.
    """
    prefixes = {_prefix(term).lower() for term in _terms(items)}
    found = []
    for number, text in enumerate(texts):
        text = text or ""
        marks = text.translate(ONE_BOUNDARY)
        first, boundary, end, words = 0, 0, -1, set()  # the current sentence and its hits
        for hit in _hits(text, pattern, prefixes):
            if hit.start() >= end:  # a boundary lies between: a new sentence
                if words:
                    found.append((-len(words), (number, first), text[first:end]))
                back = marks.rfind(".", boundary, hit.start())
                first = back + 1 if back >= 0 else 0
                boundary = marks.find(".", hit.end())
                if boundary < 0:
                    boundary = len(text)
                end = boundary
                while end < len(text) and text[end] in ENDINGS:
                    end += 1
                words = set()
            words.add(hit.group().casefold())
        if words:
            found.append((-len(words), (number, first), text[first:end]))
    return found


def make_snippet(texts: list[str], items: list[QueryItem]) -> str:
    """Up to two matching sentences (best first, in reading order), matches marked."""
    pattern = _pattern(items)
    if pattern is None:
        return ""
    scored = _matching_sentences(texts, items, pattern)
    if not scored:
        return ""
    best = sorted(scored)[:2]
    chosen = [sentence for _, _, sentence in sorted(best, key=lambda row: row[1])]
    if sum(len(sentence.split()) for sentence in chosen) > MAX_WORDS:
        chosen = chosen[:1]
    snippet = " … ".join(_trim(sentence, pattern) for sentence in chosen)
    return pattern.sub(lambda m: f"{START}{m.group()}{STOP}", snippet)
