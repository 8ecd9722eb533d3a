"""Issue 9, finding 7: admin lists and history pages never load article bodies.

Replayed: 11 drafts of 2 MB took the article changelist from 0.77 s to 6.3 s,
and a 104 MB import made it time out. The list and the history page now
read no body, body_html or toc column; the checks column shows results
stored on the article, refreshed in a fixed number of queries when stale.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, MedicationTerm
from tests.factories import make_article, make_faq, make_reference

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")
HEAVY_COLUMN = re.compile(r'"articles_article"\."(body|body_html|toc)"')


def selects_heavy_columns(queries) -> list[str]:
    assert queries, "no queries captured"
    return [
        query["sql"]
        for query in queries
        if query["sql"].lstrip().upper().startswith("SELECT") and HEAVY_COLUMN.search(query["sql"])
    ]


def test_changelist_reads_no_body_column_once_check_results_are_stored(staff_client):
    for _ in range(3):
        make_article(body="x " * 5000)
    staff_client.get(CHANGELIST)  # stores check results
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(CHANGELIST)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 3
    assert selects_heavy_columns(queries.captured_queries) == []


def test_history_page_reads_neither_body_columns_nor_version_copies(staff_client):
    article = make_article()
    url = reverse("admin:articles_article_history", args=[article.pk])
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(url)
    assert response.status_code == 200
    assert selects_heavy_columns(queries.captured_queries) == []
    versions = [q["sql"] for q in queries.captured_queries if "reversion_version" in q["sql"]]
    assert all('"serialized_data"' not in sql for sql in versions)


def test_stale_results_are_refreshed_and_shown(staff_client):
    article = make_article(body="Plain text.\n\n#### Skipped heading levels\n")
    assert Article.objects.get(pk=article.pk).check_codes is None
    response = staff_client.get(CHANGELIST)
    assert "Heading levels skip" in response.content.decode()
    assert Article.objects.get(pk=article.pk).check_codes == ["heading_skip"]


def test_faq_reference_and_medication_term_changes_mark_results_stale(staff_client):
    article = make_article(body="Some people take sertraline.")
    staff_client.get(CHANGELIST)
    assert Article.objects.get(pk=article.pk).check_codes is not None
    make_faq(article)
    assert Article.objects.get(pk=article.pk).check_codes is None

    staff_client.get(CHANGELIST)
    make_reference(article)
    assert Article.objects.get(pk=article.pk).check_codes is None

    staff_client.get(CHANGELIST)
    MedicationTerm.objects.create(name="examplezepam")
    assert Article.objects.get(pk=article.pk).check_codes is None


def test_refreshing_stale_rows_costs_the_same_for_one_or_many(staff_client):
    make_article()
    staff_client.get(CHANGELIST)
    make_article()  # one stale row
    with CaptureQueriesContext(connection) as one:
        staff_client.get(CHANGELIST)
    # Read now: the next request empties the log these are sliced from.
    one_count = len(one.captured_queries)
    for _ in range(20):
        make_article()  # twenty stale rows
    with CaptureQueriesContext(connection) as many:
        staff_client.get(CHANGELIST)
    assert len(many.captured_queries) == one_count > 0


def test_review_queue_reads_no_body_column(staff_client):
    make_article(changed_since_review=True)
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(reverse("admin:articles_reviewqueue_changelist"))
    assert response.status_code == 200
    assert response.context["total"] == 1
    assert selects_heavy_columns(queries.captured_queries) == []
