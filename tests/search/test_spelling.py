"""Misspellings find the right articles, with a "Did you mean" or "Showing results for"."""

import pytest

from articles.models import Article
from tests.factories import make_article
from tests.search.helpers import found, search_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles():
    make_article(title="Understanding depression", body="Depression is common and treatable.")
    make_article(title="Clonazepam explained", body="Clonazepam is a benzodiazepine medicine.")
    make_article(title="Understanding anxiety", body="Anxiety is a normal human response.")
    make_article(title="Gardening", body="Soil, seeds and patience.")


@pytest.mark.parametrize(
    ("typed", "corrected", "title"),
    [
        ("depresion", "depression", "Understanding depression"),
        ("clonazapam", "clonazepam", "Clonazepam explained"),
        ("anxeity", "anxiety", "Understanding anxiety"),
    ],
)
def test_a_misspelling_shows_results_for_the_corrected_word(
    client, articles, typed, corrected, title
):
    response = search_page(client, typed)
    outcome = response.context["outcome"]
    assert outcome.corrected_from == typed
    assert outcome.query == corrected
    assert title in [a.title for a in response.context["articles"]]
    html = response.content.decode()
    assert (
        f"No articles matched “{typed}”. Showing results for <strong>{corrected}</strong>" in html
    )


def test_did_you_mean_when_the_query_found_something_anyway(client, articles):
    response = search_page(client, "gardening or depresion")
    assert [a.title for a in response.context["articles"]] == ["Gardening"]
    assert response.context["outcome"].suggestion == "gardening or depression"
    assert (
        'Did you mean <a href="?q=gardening%20or%20depression">gardening or depression</a>?'
        in response.content.decode()
    )


def test_plural_forms_are_not_corrected(client, articles):
    make_article(title="Panic", body="Panic attacks can be frightening.")
    assert search_page(client, "panic attack").context["outcome"].suggestion == ""


def test_a_word_only_a_draft_contains_is_never_suggested(client, articles):
    make_article(
        title="Draft",
        body="Quetiapinum is a word only this draft has.",
        status=Article.Status.DRAFT,
    )
    outcome = search_page(client, "quetiapinim").context["outcome"]
    assert outcome.corrected_from == "" and outcome.suggestion == ""
    assert found(client, "quetiapinim") == []


def test_the_extra_vocabulary_follows_editors_changes_within_a_process(client, articles):
    """Synonym and medication words are spelling candidates at once after an edit,
    although each process keeps the list it built (spelling._extra_vocabulary)."""
    from articles.models import MedicationTerm
    from articles.search.models import SearchSynonym
    from articles.search.spelling import suggest
    from articles.search.text import parse_query

    assert suggest(parse_query("quokkka")) == {}
    SearchSynonym.objects.create(terms="quokka, setonix")
    assert suggest(parse_query("quokkka")) == {"quokkka": "quokka"}
    MedicationTerm.objects.create(name="Zyprexa")
    assert suggest(parse_query("zyprexxa")) == {"zyprexxa": "zyprexa"}
    SearchSynonym.objects.filter(terms="quokka, setonix").delete()
    assert suggest(parse_query("quokkka")) == {}


@pytest.mark.postgres
def test_the_nearest_words_are_looked_for_only_for_unknown_words(articles):
    from django.db import connection

    from articles.search.spelling import candidates_statement

    sql, params = candidates_statement(["depression", "depresion"])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = {word: (nearest, known) for word, nearest, known in cursor.fetchall()}
    assert rows == {"depression": (None, 1), "depresion": ("depression", 0)}
