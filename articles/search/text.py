"""Text handling shared by both engines: normalising queries, parsing them, article text."""

import html
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.html import strip_tags

MAX_QUERY_LENGTH = 200
WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
VOCABULARY_WORD_RE = re.compile(r"[^\W\d_]{3,40}")
HEADING_RE = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "’": "'", "‘": "'", "`": "'"})
# The query syntax of websearch_to_tsquery: "quoted phrase", -exclude, or.
QUERY_TOKEN_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def normalise(text: str) -> str:
    """Lower case, compatibility-folded, one space between words, curly quotes made straight."""
    text = unicodedata.normalize("NFKC", text or "").translate(QUOTES).casefold()
    return " ".join(text.split())


def words_of(text: str) -> list[str]:
    """The words of ``text`` (letters, with inner apostrophes kept), normalised."""
    return WORD_RE.findall(normalise(text))


def compact_words(text: str) -> list[str]:
    """Words with apostrophes dropped and hyphens as spaces: "Self-harm" → ["self", "harm"]."""
    return [word.replace("'", "") for word in words_of(text.replace("-", " "))]


@dataclass
class QueryItem:
    """One AND-ed part of a query: any of ``alternatives`` (each a tuple of words)."""

    alternatives: list[tuple[str, ...]] = field(default_factory=list)
    negated: bool = False


def parse_query(text: str) -> list[QueryItem]:
    """The query as websearch_to_tsquery reads it: words and phrases AND-ed, "or", -exclusions.

    Only the words survive: any punctuation or operator character a reader
    types is dropped, so no input can make a syntax error in either engine.
    """
    items: list[QueryItem] = []
    join_next = False
    for match in QUERY_TOKEN_RE.finditer(normalise(text)):
        minus, phrase, bare = match.groups()
        if bare is not None:
            if bare == "or" and items and not items[-1].negated:
                join_next = True
                continue
            minus, phrase = ("-", bare[1:]) if bare.startswith("-") else ("", bare)
        words = tuple(words_of(phrase))
        if not words:
            continue
        if join_next and not minus:
            items[-1].alternatives.append(words)
        else:
            items.append(QueryItem([words], negated=bool(minus)))
        join_next = False
    return items


def html_to_text(fragment: str) -> str:
    return " ".join(html.unescape(strip_tags(fragment or "")).split())


def markdown_headings(markdown: str) -> list[str]:
    return [match.group(1).strip() for match in HEADING_RE.finditer(markdown or "")]


def vocabulary_words(*texts: str) -> set[str]:
    """The distinct words (3 to 40 letters) that spelling suggestions may offer."""
    words: set[str] = set()
    for text in texts:
        words.update(VOCABULARY_WORD_RE.findall(normalise(text)))
    return words
