"""The per-document values a search reads instead of computing per match (migration 0014).

``rank_norm`` must give exactly ``ts_rank(rank_vector, q, 1)`` and
``category_set`` must name exactly the document's ``category_ids``, whatever
wrote the row.
"""

import pytest
from django.db import connection

from articles.models import Article
from articles.search.indexing import rebuild_index
from tests.factories import make_article, make_category
from tests.search.helpers import found

# Deselected (not skipped) on SQLite by tests/conftest.py; CI runs them on PostgreSQL.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

QUERIES = ["sleep", "sleep | insomnia | tired", "low <-> mood", "anxieti & stress", "panic:*"]


def _mismatches() -> list:
    """Documents whose derived values disagree with what they are derived from."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT d.article_id, q FROM articles_searchdocument d "
            "CROSS JOIN unnest(%s::text[]) AS q "
            "WHERE ts_rank(d.rank_vector, to_tsquery('english', q), 1) "
            "<> (ts_rank(d.rank_vector, to_tsquery('english', q), 0)::float8 / d.rank_norm)::real",
            [QUERIES],
        )
        wrong = cursor.fetchall()
        cursor.execute(
            "SELECT d.article_id FROM articles_searchdocument d "
            "LEFT JOIN articles_search_category_set s ON s.id = d.category_set "
            "WHERE s.category_ids IS DISTINCT FROM d.category_ids"
        )
        return wrong + cursor.fetchall()


def _articles():
    anxiety, sleep = make_category(slug="anxiety"), make_category(slug="sleep")
    texts = [
        ("Sleep and stress", "Sleep, insomnia and stress. " * 30, [sleep]),
        ("Low mood", "Low mood and poor sleep. Panic attacks too.", [anxiety, sleep]),
        ("Short", "Anxiety.", []),
        ("Empty body", "", [anxiety]),
    ]
    return [make_article(title=t, body=b, categories=c) for t, b, c in texts], (anxiety, sleep)


def test_new_documents_carry_exact_values():
    _articles()
    assert _mismatches() == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM articles_search_category_set")
        assert cursor.fetchone()[0] == 4  # {sleep}, {anxiety, sleep}, {}, {anxiety}
        cursor.execute("SELECT count(DISTINCT category_set) FROM articles_searchdocument")
        assert cursor.fetchone()[0] == 4


def test_values_follow_every_kind_of_write(client):
    (first, second, third, _), (anxiety, sleep) = _articles()
    first.categories.add(anxiety)
    second.categories.clear()
    third.categories.set([sleep])
    assert _mismatches() == []
    first.body = "Sleep. " * 200
    first.save()
    assert _mismatches() == []
    with connection.cursor() as cursor:
        # Raw SQL, including a write of the derived columns themselves.
        cursor.execute(
            "UPDATE articles_searchdocument SET rank_norm = 99, category_set = NULL, "
            "rank_vector = to_tsvector('english', 'sleep sleep') WHERE article_id = %s",
            [second.pk],
        )
        cursor.execute("UPDATE articles_searchdocument SET category_ids = '{}' WHERE true")
    assert _mismatches() == []
    sleep.delete()  # the links go with the category
    rebuild_index()
    assert _mismatches() == []


def test_search_counts_by_set_and_filters_by_category(client):
    (first, second, _, _), (anxiety, sleep) = _articles()
    assert sorted(found(client, "sleep")) == ["Low mood", "Sleep and stress"]
    assert found(client, "sleep", category="anxiety") == ["Low mood"]
    Article.objects.filter(pk=first.pk).first().categories.add(anxiety)
    assert sorted(found(client, "sleep", category="anxiety")) == ["Low mood", "Sleep and stress"]
