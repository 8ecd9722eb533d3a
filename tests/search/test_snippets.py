"""The Python snippet picker used on PostgreSQL (articles/search/snippets.py)."""

import random
import re

from articles.search import snippets
from articles.search.snippets import make_snippet
from articles.search.text import parse_query


def test_picks_the_sentence_with_most_query_terms_and_marks_word_forms():
    body = (
        "Gardening is calm. Depression and sleep are linked in many ways. "
        "Some people feel depressed when they sleep badly and sleeping late makes it worse."
    )
    snippet = make_snippet([body], parse_query("depression sleep"))
    assert "Gardening" not in snippet
    assert "\x02depressed\x03" in snippet and "\x02sleeping\x03" in snippet


def test_long_sentences_are_cut_around_the_first_match():
    body = " ".join(["word"] * 60) + " kestrel " + " ".join(["word"] * 60) + "."
    snippet = make_snippet([body], parse_query("kestrel"))
    assert "\x02kestrel\x03" in snippet
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert len(snippet.split()) <= 36


def test_no_match_no_snippet_and_excluded_words_are_not_marked():
    assert make_snippet(["Nothing here."], parse_query("kestrel")) == ""
    snippet = make_snippet(["Sleep well. Coffee late."], parse_query("sleep -coffee"))
    assert "\x02Sleep\x03" in snippet and "\x02" not in snippet.replace("\x02Sleep", "")


def _reference_snippet(texts, items):
    """The first implementation: every sentence of every text tested on its own."""
    pattern = snippets._pattern(items)
    scored, position = [], 0
    for text in texts:
        for match in re.finditer(r"[^.!?\n]+[.!?]*", text or ""):
            hits = {hit.casefold() for hit in pattern.findall(match.group())}
            if hits:
                scored.append((-len(hits), position, match.group()))
            position += 1
    if not scored:
        return ""
    best = sorted(scored)[:2]
    chosen = [sentence for _, _, sentence in sorted(best, key=lambda row: row[1])]
    if sum(len(sentence.split()) for sentence in chosen) > snippets.MAX_WORDS:
        chosen = chosen[:1]
    snippet = " … ".join(snippets._trim(sentence, pattern) for sentence in chosen)
    return pattern.sub(lambda m: f"\x02{m.group()}\x03", snippet)


def test_picking_sentences_around_the_hits_gives_what_splitting_every_sentence_gave():
    rng = random.Random(10)
    vocabulary = ["sleep", "sleeping", "Sleep", "therapy", "mood", "low", "rest", "a", "the"]
    # Words that contain a term without being it, other letter cases, a long lower case.
    vocabulary += ["asleep", "unrest", "Restful", "MOODY", "sleepsleep", "lowmood", "İstanbul"]
    marks = [". ", "! ", "? ", "\n", "... ", "?! ", ".\n\n", " ", " ", " ", " ", ", "]
    queries = [parse_query(q) for q in ["sleep", "low mood", "therapy or rest", "sleep -mood"]]
    for _ in range(400):
        texts = [
            "".join(rng.choice(vocabulary) + rng.choice(marks) for _ in range(rng.randint(0, 60)))
            for _ in range(2)
        ]
        for items in queries:
            assert make_snippet(texts, items) == _reference_snippet(texts, items), texts
