"""An anonymous page-cache hit is answered before sessions, auth, messages and
CSRF run: no database query, no cookie, the same page and headers."""

import re

import pytest
from django.test import Client

from tests.factories import make_article
from tests.therapist_factories import make_therapist

pytestmark = pytest.mark.django_db

NONCE = re.compile(r'nonce="([^"]+)"')


@pytest.fixture
def article():
    return make_article(title="Sleeping well")


def test_hit_runs_no_query_sets_no_cookie_and_skips_the_session(
    client, article, django_assert_num_queries
):
    url = article.get_absolute_url()
    client.get(url)
    with django_assert_num_queries(0):
        hit = client.get(url)
    assert hit["X-Page-Cache"] == "hit"
    assert not hit.cookies
    assert "Set-Cookie" not in hit
    # Answered before the session and auth middleware ran.
    assert not hasattr(hit.wsgi_request, "session")
    assert not hasattr(hit.wsgi_request, "user")


def test_fast_hit_has_a_fresh_nonce_matching_its_csp_header(client, article):
    url = article.get_absolute_url()
    first = client.get(url)
    hit = client.get(url)
    nonces = set(NONCE.findall(hit.content.decode()))
    assert len(nonces) == 1
    nonce = nonces.pop()
    assert nonce not in first.content.decode()
    assert f"'nonce-{nonce}'" in hit["Content-Security-Policy"]


def test_fast_hit_has_the_same_headers_as_a_rendered_page(client, article):
    url = article.get_absolute_url()
    miss, hit = client.get(url), client.get(url)
    assert miss["X-Page-Cache"] == "miss"
    # Vary: Cookie comes from rendering (the session was read); a hit, fast or
    # not, never reads it. Shared caches bypass requests with a session cookie.
    ignored = {"X-Page-Cache", "Content-Security-Policy", "Last-Modified", "Vary"}
    assert {k: v for k, v in miss.items() if k not in ignored} == {
        k: v for k, v in hit.items() if k not in ignored
    }
    assert hit["X-Frame-Options"] == "DENY"
    assert hit["Referrer-Policy"] == "same-origin"
    assert "Permissions-Policy" in hit


def test_fast_hit_answers_304_to_a_revalidating_browser(client, article):
    url = article.get_absolute_url()
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304


def test_page_with_a_csrf_form_is_still_served_with_a_working_token(django_assert_num_queries):
    therapist = make_therapist()
    Client().get(therapist.get_absolute_url())
    page = Client(enforce_csrf_checks=True).get(therapist.get_absolute_url())
    assert page["X-Page-Cache"] == "hit"
    assert "csrftoken" in page.cookies  # served by the inner middleware, after CSRF


def test_signed_in_editor_is_never_answered_from_the_cache(staff_client, article):
    url = article.get_absolute_url()
    Client().get(url)
    response = staff_client.get(url)
    assert "X-Page-Cache" not in response
    assert hasattr(response.wsgi_request, "user")
