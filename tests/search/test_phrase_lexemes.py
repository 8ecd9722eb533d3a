"""Synonym phrases indexed as one lexeme (migration 0013, articles/search/phrases.py).

The lexeme of a listed phrase must be in exactly the documents whose vector
matches the phrase, after every kind of write: an article saved, its FAQs
added or deleted, articles deleted, the index rebuilt, a vector written by
``QuerySet.update`` or raw SQL, documents inserted in bulk, synonym sets added,
changed, deleted or bulk-updated, the phrase list written by raw SQL, and a
mixed workload. Searches give what the phrase's own tsquery gives.
"""

import random

import pytest
from django.db import IntegrityError, connection, transaction

from articles.models import Article
from articles.search.indexing import rebuild_index
from articles.search.models import SearchDocument, SearchSynonym
from articles.search.postgres import to_tsquery
from articles.search.synonyms import expand
from articles.search.text import parse_query
from tests.factories import make_article, make_faq
from tests.search.helpers import found, search_page

# Deselected (not skipped) on SQLite by tests/conftest.py; CI runs them on PostgreSQL.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

PHRASE_QUERY = "websearch_to_tsquery('english'::regconfig, '\"' || p.phrase || '\"')"


def _mismatches() -> list:
    """(phrase, article) where the stored lexeme and the phrase's own match disagree."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.phrase, d.article_id FROM articles_search_phrase p "  # noqa: S608
            "CROSS JOIN articles_searchdocument d "
            f"WHERE (d.vector @@ quote_literal(p.phrase)::tsquery) <> (d.vector @@ {PHRASE_QUERY})"
        )
        return cursor.fetchall()


def _holders(phrase: str) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT article_id FROM articles_searchdocument "
            "WHERE vector @@ quote_literal(%s)::tsquery",
            [phrase],
        )
        return {row[0] for row in cursor.fetchall()}


def _listed() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT phrase FROM articles_search_phrase")
        return {row[0] for row in cursor.fetchall()}


@pytest.fixture
def kestrel_synonyms():
    return SearchSynonym.objects.create(terms="kestrel, hover hawk, wind hover")


def test_the_list_follows_the_synonym_sets(kestrel_synonyms):
    assert {"hover hawk", "wind hover"} <= _listed()
    kestrel_synonyms.terms = "kestrel, hover hawk"
    kestrel_synonyms.save()
    assert "wind hover" not in _listed() and "hover hawk" in _listed()
    kestrel_synonyms.delete()
    assert "hover hawk" not in _listed()
    assert not _mismatches()


def test_every_write_of_documents_keeps_the_lexemes_exact(kestrel_synonyms):
    hawk = make_article(title="Hawks", body="A hover hawk hunts.\n\n## More\n\nText.")
    other = make_article(title="Other", body="Hover near the hawk.\n\n## More\n\nText.")
    assert _holders("hover hawk") == {hawk.pk}
    other.body = "Now a hover hawk too.\n\n## More\n\nText."
    other.save()
    assert _holders("hover hawk") == {hawk.pk, other.pk}
    faq = make_faq(hawk, question="Wind hover?", answer="Yes.")
    assert hawk.pk in _holders("wind hover")
    faq.delete()
    assert hawk.pk not in _holders("wind hover")
    # Vectors written behind the signals' back: the trigger recomputes.
    SearchDocument.objects.filter(pk=hawk.pk).update(vector="")
    assert hawk.pk not in _holders("hover hawk")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE articles_searchdocument SET vector = to_tsvector('english', 'wind hover') "
            "WHERE article_id = %s",
            [other.pk],
        )
    assert _holders("wind hover") == {other.pk} and _holders("hover hawk") == set()
    rebuild_index()
    assert _holders("hover hawk") == {hawk.pk, other.pk}
    Article.objects.filter(pk=other.pk).delete()
    assert _holders("hover hawk") == {hawk.pk}
    assert not _mismatches()


def test_documents_inserted_in_bulk_or_by_raw_sql_get_their_lexemes(kestrel_synonyms):
    article = make_article(title="Plain", body="Nothing.\n\n## More\n\nText.")
    without_lexeme = "'hawk':2 'hover':1"
    document = SearchDocument.objects.get(pk=article.pk)
    SearchDocument.objects.filter(pk=article.pk).delete()
    document.vector = without_lexeme
    SearchDocument.objects.bulk_create([document])
    assert _holders("hover hawk") == {article.pk}
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE kept AS SELECT * FROM articles_searchdocument WHERE article_id = %s",
            [article.pk],
        )
        cursor.execute("UPDATE kept SET vector = %s::tsvector", [without_lexeme])
        cursor.execute("DELETE FROM articles_searchdocument WHERE article_id = %s", [article.pk])
        assert _holders("hover hawk") == set()
        cursor.execute("INSERT INTO articles_searchdocument SELECT * FROM kept")
    assert _holders("hover hawk") == {article.pk}
    assert not _mismatches()


def test_phrases_written_to_the_list_directly_reindex_and_bulk_updates_stay_exact(client):
    article = make_article(title="Owls", body="A barn owl hoots.\n\n## More\n\nText.")
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO articles_search_phrase (phrase) VALUES ('barn owl')")
    assert _holders("barn owl") == {article.pk}
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE articles_search_phrase SET phrase = 'owl hoots' WHERE phrase = 'barn owl'"
        )
    assert _holders("owl hoots") == {article.pk} and _holders("barn owl") == set()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM articles_search_phrase WHERE phrase = 'owl hoots'")
    assert _holders("owl hoots") == set()
    # A bulk update skips the signals: the list lags (slower searches), never wrong.
    SearchSynonym.objects.create(terms="owl, barn owl")
    SearchSynonym.objects.filter(terms="owl, barn owl").update(terms="owl, screech owl")
    assert "barn owl" in _listed() and not _mismatches()
    make_article(title="Screech", body="A screech owl calls.\n\n## More\n\nText.")
    # "owl" is in the set: the phrase brings in the word.
    titles = set(found(client, '"screech owl"'))
    assert titles == _recount('"screech owl"') == {"Screech", "Owls"}


def test_the_list_refuses_what_a_lexeme_could_not_stand_for():
    for phrase in ["single", "the a", "it's me", "two  spaces", "digit 4 word"]:
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("INSERT INTO articles_search_phrase (phrase) VALUES (%s)", [phrase])


def test_searches_with_indexed_phrases_equal_the_phrases_own_matches(client, kestrel_synonyms):
    """A mixed workload of writes, then each search compared with a recount."""
    rng = random.Random(13)
    words = ["hover", "hawk", "wind", "kestrel", "falcon", "the", "over", "hawks"]
    articles = []
    for n in range(30):
        body = " ".join(rng.choice(words) for _ in range(12)) + ".\n\n## Part\n\nText."
        articles.append(make_article(title=f"Bird {n}", body=body))
    for article in rng.sample(articles, 8):
        article.body = " ".join(rng.choice(words) for _ in range(12)) + ".\n\n## Part\n\nText."
        article.save()
    for article in rng.sample(articles, 4):
        make_faq(article, question="Hover hawk?", answer="Wind hover.")
    Article.objects.filter(pk__in=[a.pk for a in articles[:3]]).delete()
    kestrel_synonyms.terms = "kestrel, hover hawk, wind hover, falcon hawk"
    kestrel_synonyms.save()
    assert not _mismatches()
    for q in ["kestrel", '"hover hawk"', "wind hover", "hawk -kestrel", "falcon or kestrel"]:
        response = search_page(client, q)
        assert response.context["outcome"].total == len(_recount(q)), q
        assert set(found(client, q)) <= _recount(q), q


def _recount(q: str) -> set[str]:
    """The titles the query matches, the phrases by their own tsquery (no lexemes)."""
    items = expand(parse_query(q))
    ids = SearchDocument.objects.published().filter(vector=to_tsquery(items)).values("pk")
    return set(Article.objects.filter(pk__in=ids).values_list("title", flat=True))
