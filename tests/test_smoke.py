import pytest

from tests.factories import make_article


@pytest.mark.django_db
def test_published_article_page_answers_200(client):
    article = make_article()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.django_db
def test_draft_article_is_404_for_the_public(client):
    article = make_article(status="draft")
    assert client.get(article.get_absolute_url()).status_code == 404
