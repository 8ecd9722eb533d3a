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


# A sentence ends at one of these; "." "!" and "?" also end the sentence's
# punctuation run ("Really?!").
BOUNDARY = re.compile(r"[.!?\n]")
ENDINGS = ".!?"


def _prefixes(items: list[QueryItem]) -> list[str]:
    """The terms' lower-case prefixes, less any that extends another: where
    "sleep" occurs, so does "slee", so the longer one finds no other start."""
    kept: list[str] = []
    for prefix in sorted({_prefix(term).lower() for term in _terms(items)}, key=len):
        if not any(prefix.startswith(shorter) for shorter in kept):
            kept.append(prefix)
    return kept


def _hits(text: str, pattern: re.Pattern, prefixes: list[str]) -> list[re.Match]:
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


class _Best:
    """The two sentences with the most distinct hits, the earlier first among
    equals, offered in reading order: a later sentence only displaces one with
    fewer hits, so a sentence with no more hits than the second kept one is
    passed over without finding its start or counting its words."""

    def __init__(self):
        self.rows: list[tuple[int, int, int, int, str]] = []  # hits, text no., start, end, text

    def offer(self, number: int, text: str, hits: list[re.Match], after: int) -> None:
        """A sentence's hits; ``after``: where the previous sentence's hits ended."""
        rows = self.rows
        if len(rows) == 2 and len(hits) <= rows[1][0]:  # distinct hits <= hits
            return
        count = len({hit.group().casefold() for hit in hits})
        if len(rows) == 2 and count <= rows[1][0]:
            return
        row = (
            count,
            number,
            _start(text, after, hits[0].start()),
            _end(text, hits[-1].end()),
            text,
        )
        if not rows or (len(rows) == 1 and count <= rows[0][0]):
            rows.append(row)
        elif count > rows[0][0]:
            self.rows = [row, rows[0]]
        else:
            rows[1] = row

    def sentences(self) -> list[str]:
        """The kept sentences in reading order."""
        return [
            text[start:end] for _, _, start, end, text in sorted(self.rows, key=lambda r: r[1:3])
        ]


def _start(text: str, after: int, hit: int) -> int:
    """Where the sentence holding a hit at ``hit`` starts: after the last boundary
    before it. The previous sentence's hits ended at ``after``, before that boundary."""
    start = 0
    for boundary in BOUNDARY.finditer(text, after, hit):
        start = boundary.end()
    return start


def _end(text: str, hit_end: int) -> int:
    """Where the sentence holding a hit ending at ``hit_end`` ends: its next
    boundary and the punctuation run that boundary starts."""
    boundary = BOUNDARY.search(text, hit_end)
    end = boundary.start() if boundary else len(text)
    while end < len(text) and text[end] in ENDINGS:
        end += 1
    return end


def _best_sentences(texts: list[str], items: list[QueryItem], pattern: re.Pattern) -> list[str]:
    """The (up to) two best matching sentences, in reading order.

    A sentence runs from after the last . ! ? or line break before a hit
    through the next one and the punctuation run it starts. The hits come in
    reading order, and two hits share a sentence when no boundary lies
    between them, so a text is never split into sentences: splitting whole
    articles, or even listing every boundary, cost more than the search itself.
    """
    prefixes = _prefixes(items)
    best = _Best()
    for number, text in enumerate(texts):
        text = text or ""
        sentence: list[re.Match] = []
        after = 0  # where the previous sentence's hits ended
        for hit in _hits(text, pattern, prefixes):
            if sentence and BOUNDARY.search(text, sentence[-1].end(), hit.start()):
                best.offer(number, text, sentence, after)
                after, sentence = sentence[-1].end(), []
            sentence.append(hit)
        if sentence:
            best.offer(number, text, sentence, after)
    return best.sentences()


def make_snippet(texts: list[str], items: list[QueryItem]) -> str:
    """Up to two matching sentences (best first, in reading order), matches marked."""
    pattern = _pattern(items)
    if pattern is None:
        return ""
    chosen = _best_sentences(texts, items, pattern)
    if not chosen:
        return ""
    if sum(len(sentence.split()) for sentence in chosen) > MAX_WORDS:
        chosen = chosen[:1]
    snippet = " … ".join(_trim(sentence, pattern) for sentence in chosen)
    return pattern.sub(lambda m: f"{START}{m.group()}{STOP}", snippet)
