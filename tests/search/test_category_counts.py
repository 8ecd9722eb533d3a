"""Category counts of a search: exact, equal to a recount, whatever writes the category links.

On PostgreSQL the counts come from the category ids each search document
carries (migration 0011, kept by triggers); these tests recount through the
links themselves.
"""

import random
from collections import Counter

import pytest
from django.db import connection

from articles.models import Article
from articles.search.indexing import rebuild_index
from tests.factories import make_article, make_category
from tests.search.helpers import search_page

pytestmark = pytest.mark.django_db


def _recount(query_titles: set[str]) -> Counter:
    counts: Counter = Counter()
    for article in Article.objects.published().filter(title__in=query_titles):
        counts.update(category.slug for category in article.categories.all())
    return counts


def _facets(client, q: str, **params) -> dict[str, int]:
    response = search_page(client, q, **params)
    assert response.status_code == 200
    return {facet.slug: facet.count for facet in response.context["outcome"].facets}


def test_counts_equal_a_recount_over_many_category_sets(client, settings):
    settings.ARTICLES_PER_PAGE = 5
    rng = random.Random(7)
    categories = [make_category(slug=f"topic-{n}") for n in range(6)]
    titles = set()
    for n in range(40):
        chosen = rng.sample(categories, rng.randint(0, 3))
        status = Article.Status.DRAFT if n % 7 == 0 else Article.Status.PUBLISHED
        make_article(title=f"Kelp note {n}", body="kelp forests", categories=chosen, status=status)
        titles.add(f"Kelp note {n}")
    expected = _recount(titles)
    outcome = search_page(client, "kelp").context["outcome"]
    assert {f.slug: f.count for f in outcome.facets} == dict(expected)
    assert outcome.total == Article.objects.published().filter(title__in=titles).count()
    # A chosen category shows as many results as its count says, over every page.
    slug, count = expected.most_common(1)[0]
    shown = []
    for page in range(1, (count - 1) // 5 + 2):
        shown += search_page(client, "kelp", category=slug, page=page).context["articles"]
    assert len({article.pk for article in shown}) == count
    assert all(slug in {c.slug for c in article.categories.all()} for article in shown)


def test_counts_follow_every_write_to_the_category_links(client):
    anxiety, sleep = make_category(slug="anxiety"), make_category(slug="sleep")
    article = make_article(title="Tidepool guide", body="tidepools", categories=[anxiety])
    assert _facets(client, "tidepools") == {"anxiety": 1}
    article.categories.add(sleep)
    assert _facets(client, "tidepools") == {"anxiety": 1, "sleep": 1}
    article.categories.remove(anxiety)
    assert _facets(client, "tidepools") == {"sleep": 1}
    Article.categories.through.objects.create(article=article, category=anxiety)
    assert _facets(client, "tidepools") == {"anxiety": 1, "sleep": 1}
    sleep.delete()
    assert _facets(client, "tidepools") == {"anxiety": 1}
    article.categories.clear()
    assert _facets(client, "tidepools") == {}
    assert [a.title for a in search_page(client, "tidepools").context["articles"]] == [
        "Tidepool guide"
    ]


def test_raw_sql_link_writes_and_a_rebuilt_index_keep_the_counts(client):
    mood = make_category(slug="mood")
    article = make_article(title="Estuary walks", body="estuary")
    table = Article.categories.through._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (article_id, category_id) VALUES (%s, %s)",  # noqa: S608
            [article.pk, mood.pk],
        )
    assert _facets(client, "estuary") == {"mood": 1}
    rebuild_index()
    assert _facets(client, "estuary") == {"mood": 1}
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE article_id = %s", [article.pk])  # noqa: S608
    assert _facets(client, "estuary") == {}


def test_an_unknown_category_finds_nothing_and_never_errors(client):
    make_article(title="Lagoon", body="lagoon", categories=[make_category(slug="water")])
    response = search_page(client, "lagoon", category="no-such-topic")
    assert response.status_code == 200
    assert response.context["outcome"].result_count == 0
    assert list(response.context["articles"]) == []
