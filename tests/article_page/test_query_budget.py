"""The article page's queries do not grow with what the article links to."""

import pytest

from articles.models import Article
from tests.article_pages import (
    ARTICLE_PAGE_BUILD_QUERIES,
    ARTICLE_PAGE_QUERIES,
    reviewed_article,
    without_nonces,
)
from tests.factories import link_related, make_article, make_category, make_faq, make_reference

pytestmark = pytest.mark.django_db


def _article_with(count: int) -> Article:
    article = reviewed_article(categories=[make_category() for _ in range(count)])
    for n in range(count):
        make_faq(article, order=n)
        make_reference(article, order=n)
        link_related(article, make_article(), order=n)
    # An unpublished related article is filtered in the same query, not after.
    link_related(article, make_article(status=Article.Status.DRAFT), order=count)
    return article


def test_article_page_queries_do_not_grow_with_faqs_references_related_categories(
    client, django_assert_num_queries
):
    small = _article_with(1)
    large = _article_with(20)

    with django_assert_num_queries(ARTICLE_PAGE_BUILD_QUERIES):
        small_response = client.get(small.get_absolute_url())
    with django_assert_num_queries(ARTICLE_PAGE_BUILD_QUERIES):
        large_response = client.get(large.get_absolute_url())
    with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
        stored_response = client.get(large.get_absolute_url())

    assert without_nonces(stored_response) == without_nonces(large_response)
    assert small_response.status_code == large_response.status_code == 200
    assert large_response.content.decode().count('<details class="faq">') == 20
    assert large_response.content.decode().count('class="related__title"') == 20
