"""Issue 9, finding 5: junk query strings filled the page cache.

832 requests with ``?x=<random>`` to one article added 13.9 MB to Redis: every
distinct query string was a new entry. Cache keys now hold only the parameters
a page's view reads, normalised and sorted; anything else never creates an entry.
"""

import secrets

import pytest
from django.core.cache import cache

from tests.factories import make_article, make_category
from tests.therapist_factories import make_therapist

pytestmark = pytest.mark.django_db


def page_entries() -> int:
    """Page entries in the cache: Redis in the PostgreSQL pass, local memory otherwise."""
    if hasattr(cache._cache, "get_client"):
        return sum(1 for _ in cache._cache.get_client().scan_iter("*:pagecache:page:*"))
    return sum(1 for key in cache._cache if ":pagecache:page:" in key)


@pytest.fixture
def article():
    return make_article(title="Sleeping well", categories=[make_category(name="Sleep")])


def test_random_parameters_on_an_article_create_one_entry(client, article):
    url = article.get_absolute_url()
    client.get(url)
    for _ in range(832):
        response = client.get(url, {"x": secrets.token_hex(8)})
        assert response.status_code == 200
        assert response["X-Page-Cache"] == "hit"
    assert page_entries() == 1


def test_the_view_never_sees_unknown_parameters(client, article):
    response = client.get(article.get_absolute_url(), {"utm_source": "<script>x</script>"})
    assert "utm_source" not in response.content.decode()
    assert response.wsgi_request.GET.urlencode() == ""


def test_declared_parameters_are_normalised_and_sorted(client):
    for number in range(30):
        make_article(title=f"Article number {number}")
    first = client.get("/articles/", {"page": "2", "junk": "1"})
    assert first["X-Page-Cache"] == "miss"
    again = client.get("/articles/?junk=2&page=2")
    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content
    # An empty value is the same page as no value at all.
    client.get("/articles/")
    assert client.get("/articles/?page=")["X-Page-Cache"] == "hit"
    assert page_entries() == 2


def test_finder_parameter_order_does_not_create_entries(client):
    make_therapist(name="Avery Listed")
    client.get("/therapists/?q=Avery&accepting=on")
    assert client.get("/therapists/?accepting=on&q=Avery")["X-Page-Cache"] == "hit"
    assert page_entries() == 1


def test_finder_with_unknown_parameters_is_rendered_but_never_stored(client):
    make_therapist(name="Avery Listed")
    for _ in range(20):
        response = client.get("/therapists/", {"colour": secrets.token_hex(8)})
        assert response.status_code == 200
        assert "an unknown option “colour”" in response.content.decode()
        assert "X-Page-Cache" not in response
    assert page_entries() == 0


def test_overlong_values_are_not_stored(client, article):
    for _ in range(5):
        response = client.get("/therapists/", {"q": secrets.token_hex(300)})
        assert response.status_code == 200
    assert page_entries() == 0
