"""The matches' SQL kept per query shape on PostgreSQL (articles/search/statements.py)."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from articles.models import Article
from articles.search import postgres, results, statements
from articles.search.synonyms import expand
from articles.search.text import parse_query
from tests.factories import make_article
from tests.search.helpers import found

# Deselected (not skipped) on SQLite by tests/conftest.py; CI runs them on PostgreSQL.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

# Pairs of queries of one shape: the second reuses the first's SQL.
SAME_SHAPE = [
    ("anxiety", "kestrel"),
    ("grief support", "heron plover"),
    ('"panic attacks"', '"low mood"'),
    ("depression -medication", "sleep -coffee"),
    ("burnout or loneliness", "osprey or gannet"),
    ("klonopin", "zoloft"),  # synonyms: widened to alternatives
    ("can't sleep", "panic attack"),
    ("sleep sleep", "mood mood"),  # a repeated word
]


@pytest.fixture(autouse=True)
def no_shapes():
    statements._shapes.clear()
    yield
    statements._shapes.clear()


def _compiled(items):
    return results._compile(postgres, items)


def _shape(items):
    masked, _ = statements._masked(items)
    return ("matches",) + tuple((item.negated, tuple(item.alternatives)) for item in masked)


@pytest.mark.parametrize(("first", "second"), SAME_SHAPE)
def test_a_kept_shape_gives_what_the_orm_compiles_for_the_query(first, second):
    moment = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=moment):
        statements.matches(expand(parse_query(first)), _compiled)
        items = expand(parse_query(second))
        assert statements.matches(items, _compiled) == _compiled(items)
        assert _shape(items) in statements._shapes


def test_the_bench_shapes_are_reused():
    statements.matches(parse_query("anxiety"), _compiled)
    with mock.patch.object(statements, "_template", side_effect=AssertionError("compiled")):
        sql, params = statements.matches(parse_query("kestrel"), _compiled)
    assert "kestrel" in params and "anxiety" not in params


def test_different_shapes_are_kept_apart():
    statements.matches(parse_query("kestrel heron"), _compiled)
    statements.matches(parse_query("kestrel kestrel"), _compiled)  # one word twice
    statements.matches(parse_query("kestrel -heron"), _compiled)
    assert len(statements._shapes) == 3


def test_a_kept_shape_reads_the_time_of_each_search(client):
    """Scheduled articles go live, expired ones go, with the statement kept."""
    make_article(title="Kestrel", body="Kestrel.")
    scheduled = make_article(title="Plover", body="Plover.")
    later = timezone.now() + datetime.timedelta(hours=2)
    Article.objects.filter(pk=scheduled.pk).update(published_at=later - datetime.timedelta(hours=1))
    assert found(client, "kestrel") == ["Kestrel"]
    assert found(client, "plover") == []  # the shape is kept now
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert found(client, "plover") == ["Plover"]
    expired = later - datetime.timedelta(minutes=30)
    Article.objects.filter(pk=scheduled.pk).update(expires_at=expired)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert found(client, "plover") == []


def test_a_kept_page_statement_binds_the_page_ids(client):
    articles = [make_article(title=f"Kestrel {n}", body="Kestrel.") for n in range(4)]
    ids = [article.pk for article in articles]

    def compiled(pks):
        return Article.objects.published().filter(pk__in=pks).query.sql_with_params()

    moment = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=moment):
        statements.rows("page", ids[:2], compiled)
        sql, params = compiled(ids[2:])
        assert statements.rows("page", ids[2:], compiled) == (sql, list(params))
    assert ("page", 2) in statements._shapes
    assert sorted(found(client, "kestrel")) == [f"Kestrel {n}" for n in range(4)]
    assert sorted(found(client, "kestrel")) == [f"Kestrel {n}" for n in range(4)]  # kept
