"""PostgreSQL-only parts of article search: indexes, weights, trigram suggestions, plans."""

import pytest
from django.db import connection

from articles.search import postgres
from articles.search.models import SearchDocument
from articles.search.text import parse_query
from tests.factories import make_article, make_faq
from tests.search.helpers import found

# Deselected (not skipped) on SQLite by tests/conftest.py; CI runs them on PostgreSQL.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_migration_creates_pg_trgm_and_the_named_gin_indexes():
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() == ("pg_trgm",)
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE tablename IN ('articles_searchdocument', 'articles_searchword')"
        )
        indexes = dict(cursor.fetchall())
    assert "USING gin (vector)" in indexes["article_search_vector_gin"]
    assert "gist_trgm_ops" in indexes["search_word_trgm_gist"]


def test_stored_vector_has_the_weights_and_follows_faq_changes():
    article = make_article(title="Kestrel", summary="Heron.", body="Plover.\n\n## Osprey\n\nText.")
    faq = make_faq(article, question="Puffin?", answer="Gannet.")
    vector = SearchDocument.objects.values_list("vector", flat=True).get(pk=article.pk)
    for lexeme, weight in [
        ("kestrel", "A"),
        ("heron", "B"),
        ("osprey", "C"),
        ("puffin", "C"),
        ("plover", "D"),
        ("gannet", "D"),
    ]:
        assert f"'{lexeme}':" in vector
        positions = vector.split(f"'{lexeme}':", 1)[1].split(" ", 1)[0]
        # Headings are body text too, so "osprey" is both C and D.
        if weight != "D":
            assert f"{weight}" in positions, (lexeme, positions)
        else:
            assert positions[-1].isdigit(), (lexeme, positions)
    faq.answer = "Cormorant."
    faq.save()
    vector = SearchDocument.objects.values_list("vector", flat=True).get(pk=article.pk)
    assert "cormor" in vector and "gannet" not in vector


def test_search_uses_the_gin_index():
    make_article(title="Indexed")
    queryset = postgres.matching(SearchDocument.objects.published(), parse_query("indexed"))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert "article_search_vector_gin" in plan


def test_spelling_lookup_walks_the_trigram_index_nearest_first():
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT word FROM articles_searchword ORDER BY word <-> %s LIMIT 5",
            ["depresion"],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Scan using search_word_trgm_gist" in plan
    assert "Order By" in plan


def test_websearch_syntax_reaches_websearch_to_tsquery():
    sql = str(postgres.matching(SearchDocument.objects.all(), parse_query('"a b" -c')).query)
    assert "websearch_to_tsquery" in sql


def test_the_document_row_keeps_only_the_ranking_vector_and_state_inline():
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'articles_searchdocument'")
        assert "toast_tuple_target=128" in cursor.fetchone()[0]
        cursor.execute(
            "SELECT attname, attstorage FROM pg_attribute "
            "WHERE attrelid = 'articles_searchdocument'::regclass AND attname IN "
            "('rank_vector', 'vector', 'body_text', 'category_ids')"
        )
        # category_ids PLAIN: never moved out of line, category counts read it in the row.
        assert dict(cursor.fetchall()) == {
            "rank_vector": "m",
            "vector": "x",
            "body_text": "x",
            "category_ids": "p",
        }


def test_counting_and_ranking_never_read_the_article_table(client):
    from django.test.utils import CaptureQueriesContext

    make_article(title="Narwhal facts", body="narwhal")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": "narwhal"})
    assert [a.title for a in response.context["articles"]] == ["Narwhal facts"]
    matching = [q["sql"] for q in queries if "@@" in q["sql"]]
    assert len(matching) == 1  # count, facets and the page's ranked ids together
    assert all('"articles_article"' not in sql for sql in matching)


def test_branches_find_exactly_what_the_whole_query_finds():
    from articles.search.text import QueryItem

    for title, body in [
        ("One", "Low mood in winter."),
        ("Two", "Mood was low."),
        ("Three", "Depression and sleep."),
        ("Four", "Talking therapy helps sleep."),
        ("Five", "Therapy talk, feeling tired."),
        ("Six", "Feeling down about sleep."),
        ("Seven", "Low mood, feeling down."),  # in two phrases' branches: only one may find it
    ]:
        make_article(title=title, body=body)
    queries = [
        [QueryItem([("depression",), ("low", "mood"), ("feeling", "down")])],
        [QueryItem([("counselling",), ("talking", "therapy"), ("therapy",)])],
        [
            QueryItem([("sleep",), ("talking", "therapy")]),
            QueryItem([("depression",), ("low", "mood")]),
        ],
        [QueryItem([("sleep",), ("low", "mood")]), QueryItem([("feeling",)], negated=True)],
    ]
    documents = SearchDocument.objects.all()
    # "talking therapy" adds nothing to "therapy": no branch of its own.
    for items, branch_count in zip(queries, [3, 1, 4, 2], strict=True):
        whole = set(postgres.matching(documents, items).values_list("pk", flat=True))
        parts = postgres.match_branches(documents, items)
        assert len(parts) == branch_count
        found = [pk for part in parts for pk in part.values_list("pk", flat=True)]
        assert set(found) == whole and whole, items
        # Disjoint, so the search unites them with UNION ALL and ranks each match once.
        assert len(found) == len(whole), items


def test_a_synonym_that_stop_words_shorten_is_not_added_to_other_terms(client):
    # "feeling down" is only 'feel' to the English dictionary: widening
    # "depression" with it would find every article that says "feel".
    make_article(title="Mood notes", body="Depression is more than sadness.")
    make_article(title="Feelings diary", body="Many people feel tired in winter.")
    assert found(client, "depression") == ["Mood notes"]
    # Typed by a reader, the term still brings in the rest of its set.
    assert "Mood notes" in found(client, "feeling down")
