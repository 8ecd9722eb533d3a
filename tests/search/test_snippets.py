"""The Python snippet picker used on PostgreSQL (articles/search/snippets.py)."""

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
