"""Attacks on the article search, replayed: script in snippets, engine syntax, draft leaks."""

import pytest

from articles.models import Article
from tests.factories import make_article
from tests.search.helpers import search_page

pytestmark = pytest.mark.django_db


def test_article_text_in_a_snippet_is_escaped(client):
    article = make_article(title="Escaping", body="Plain wombat.")
    # Bypass the sanitiser on purpose: even raw HTML in the stored text stays text.
    Article.objects.filter(pk=article.pk).update(
        body_html="<p>wombat <script>alert(1)</script> <img src=x onerror=alert(2)></p>"
    )
    from articles.search.indexing import index_article

    index_article(article.pk)
    Article.objects.filter(pk=article.pk).update(body_html="")
    from articles.search.models import SearchDocument

    SearchDocument.objects.filter(pk=article.pk).update(
        body_text="wombat <script>alert(1)</script> \x03</mark><b>x"
    )
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE articles_search_fts SET body_text = %s WHERE rowid = %s",
                ["wombat <script>alert(1)</script> \x03</mark><b>x", article.pk],
            )
    else:
        from articles.search.indexing import vectors

        SearchDocument.objects.filter(pk=article.pk).update(**vectors())
    html = search_page(client, "wombat").content.decode()
    snippet = html.split('class="search-result__snippet">', 1)[1].split("</p>", 1)[0]
    assert "<mark>wombat</mark>" in snippet
    # Escaped, never live markup.
    assert "<script>" not in snippet and "<b>" not in snippet
    assert snippet.count("<mark>") == snippet.count("</mark>")


@pytest.mark.parametrize(
    "query",
    [
        "x' OR 1=1 --",
        '") OR rowid > 0 --',
        "title:secret",
        "NEAR(secret draft, 5)",
        "secret* ^draft",
        "!!secret | draft",
        "secret <-> draft",
    ],
)
def test_engine_syntax_in_a_query_never_reaches_unpublished_articles(client, query):
    make_article(title="Secret draft", body="secret draft", status=Article.Status.DRAFT)
    response = search_page(client, query)
    assert response.status_code == 200
    assert "Secret draft" not in response.content.decode()


def test_the_search_page_is_never_stored_by_any_cache(client):
    response = search_page(client, "kill myself")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
