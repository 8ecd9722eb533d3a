"""Phrases that the English dictionary reads as one word (articles/search/stop_words.py)."""

import pytest
from django.db import connection

from articles.search import postgres, results
from articles.search.models import SearchDocument
from articles.search.stop_words import STOP_WORDS, one_word, phrases_as_words
from articles.search.synonyms import expand
from articles.search.text import QueryItem, parse_query
from tests.factories import make_article
from tests.search.helpers import found


def test_a_phrase_of_one_word_and_stop_words_is_that_word():
    assert one_word(("can't", "sleep")) == "sleep"
    assert one_word(("feeling", "down")) == "feeling"
    assert one_word(("don't", "want", "to", "be", "here")) == "want"


def test_a_phrase_of_two_words_a_hyphen_or_another_alphabet_stays_a_phrase():
    assert one_word(("low", "mood")) is None
    assert one_word(("trouble", "sleeping")) is None
    assert one_word(("self-harm", "help")) is None
    assert one_word(("día", "the")) is None
    assert one_word(("the", "and")) is None  # nothing left: the server's business


def test_phrases_as_words_keeps_negation_and_drops_repeats():
    items = [
        QueryItem([("can't", "sleep"), ("sleep",), ("insomnia",)]),
        QueryItem([("feeling", "down")], negated=True),
    ]
    assert [(i.alternatives, i.negated) for i in phrases_as_words(items)] == [
        ([("sleep",), ("insomnia",)], False),
        ([("feeling",)], True),
    ]


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_server_drops_every_listed_stop_word():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word FROM unnest(%s::text[]) AS word "
            "WHERE ts_lexize('english_stem', word) <> '{}'::text[]",
            [sorted(STOP_WORDS)],
        )
        assert cursor.fetchall() == []


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_phrase_made_a_word_is_the_same_tsquery():
    phrases = ["can't sleep", "feeling down", "don't want to be here", "on edge", "all the time"]
    with connection.cursor() as cursor:
        for phrase in phrases:
            word = one_word(tuple(phrase.split()))
            assert word, phrase
            cursor.execute(
                "SELECT websearch_to_tsquery('english', %s)::text, "
                "websearch_to_tsquery('english', %s)::text",
                [f'"{phrase}"', word],
            )
            as_phrase, as_word = cursor.fetchone()
            assert as_phrase == as_word, phrase


@pytest.mark.postgres
@pytest.mark.django_db
def test_cant_sleep_is_one_branch_and_finds_what_the_phrase_found(client):
    for title, body in [
        ("Nights", "I can't sleep at night."),
        ("Rest", "Sleep matters for mood."),
        ("Insomnia", "Insomnia is common."),
        ("Other", "Nothing about rest here."),
    ]:
        make_article(title=title, body=body)
    items = expand(parse_query("can't sleep"))
    documents = SearchDocument.objects.all()
    as_phrase = postgres.match_branches(documents, items)
    as_word = postgres.match_branches(documents, phrases_as_words(items))
    assert len(as_word) < len(as_phrase)

    def pks(branches):
        return sorted(pk for branch in branches for pk in branch.values_list("pk", flat=True))

    assert pks(as_word) == pks(as_phrase)
    _, params = results._matches(postgres, items)
    assert not any("can't" in str(value) for value in params)
    assert sorted(found(client, "can't sleep")) == ["Insomnia", "Nights", "Rest"]
