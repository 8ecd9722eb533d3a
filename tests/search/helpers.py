"""Small helpers for the article search tests."""

from django.urls import reverse

SEARCH = reverse("articles:search")

BODY_PADDING = (
    "This paragraph is ordinary filler text about routines, friends and daily life, "
    "written for the tests. "
)


def search_page(client, q: str, **params):
    return client.get(SEARCH, {"q": q, **params})


def found(client, q: str, **params) -> list[str]:
    response = search_page(client, q, **params)
    assert response.status_code == 200, response.content[:500]
    return [article.title for article in response.context["articles"]]
