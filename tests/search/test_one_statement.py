"""PostgreSQL: a search in two statements, each equal to the separate queries it replaced.

The summary runs inside ``article_search_rows`` (migration 0012) with the
spelling candidates; the page's rows carry their categories.
"""

import pytest
from django.db import connection

from articles.search import results, service, spelling
from articles.search.service import page_articles, page_categories, search
from articles.search.synonyms import expand
from articles.search.text import parse_query
from tests.factories import make_article, make_category

# Deselected (not skipped) on SQLite by tests/conftest.py; CI runs them on PostgreSQL.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

SETTING = "SELECT 0, current_setting('enable_seqscan'), CAST(NULL AS TEXT), 0::bigint, 0::bigint"


def _setting() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        return cursor.fetchone()[0]


def test_the_function_plans_without_sequential_scans_only_while_it_runs():
    assert _setting() == "on"
    assert results.run(SETTING, [])[0][1] == "off"
    assert _setting() == "on"


@pytest.mark.parametrize(
    "value", ["can't", 'say "hello"', "back\\slash", "100%", "naïve café", "%s", "'; SELECT 1; --"]
)
def test_values_reach_the_statement_exactly_as_a_direct_query_binds_them(value):
    sql = "SELECT 0, CAST(%s AS TEXT), CAST(NULL AS TEXT), 0::bigint, length(%s)::bigint"
    with connection.cursor() as cursor:
        cursor.execute(sql, [value, value])
        direct = cursor.fetchall()
    assert results.run(sql, [value, value]) == direct == [(0, value, None, 0, len(value))]


def test_spelling_candidates_in_the_summary_equal_the_lookup_of_their_own():
    make_article(title="Understanding depression", body="Depression is common. Sleep helps.")
    make_article(title="Clonazepam explained", body="Clonazepam is a benzodiazepine medicine.")
    words = ["depresion", "depression", "clonazapam", "sleep", "zzqxv", "o'brien"]
    in_summary = results.summarise(
        service.backend(),
        expand(parse_query("depression")),
        "",
        0,
        10,
        spelling.candidates_statement(words),
    ).spelling
    assert in_summary == spelling._candidates(words)
    assert in_summary["depresion"] == (False, "depression")
    assert in_summary["depression"][0] is True


def test_a_page_reads_its_categories_with_its_rows_as_the_separate_query_did():
    anxiety, sleep, zebra = (
        make_category(name="Anxiety"),
        make_category(name="Sleep"),
        make_category(name="Zebra's corner"),
    )
    make_article(title="Rumination one", body="rumination", categories=[zebra, anxiety, sleep])
    make_article(title="Rumination two", body="rumination", categories=[sleep])
    make_article(title="Rumination three", body="rumination")
    outcome = search("rumination")
    articles = page_articles(outcome, outcome.page_ids)
    assert len(articles) == 3
    separate = page_categories(outcome.page_ids)
    for article in articles:
        assert article.page_categories == separate.get(article.pk, [])
    by_title = {a.title: [c.name for c in a.page_categories] for a in articles}
    assert by_title == {
        "Rumination one": ["Anxiety", "Sleep", "Zebra's corner"],
        "Rumination two": ["Sleep"],
        "Rumination three": [],
    }
