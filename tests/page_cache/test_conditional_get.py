"""Conditional GET on cached pages (ETag, Last-Modified) and their per-request CSP nonce."""

import re

import pytest

from tests.page_cache.helpers import get

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("cached_first", [False, True], ids=["fresh", "from-cache"])
def test_etag_revalidation_answers_304(client, article, cached_first):
    url = article.get_absolute_url()
    first = get(client, url)
    if cached_first:
        first = get(client, url)
        assert first["X-Page-Cache"] == "hit"
    etag = first["ETag"]
    not_modified = get(client, url, if_none_match=etag)
    assert not_modified.status_code == 304
    assert not_modified.content == b""


def test_etag_is_stable_across_requests_despite_the_per_request_nonce(client, article):
    url = article.get_absolute_url()
    first, second = get(client, url), get(client, url)
    nonce = re.compile(r'nonce="([^"]+)"')
    assert nonce.search(first.content.decode()).group(1) != nonce.search(
        second.content.decode()
    ).group(1)
    assert first["ETag"] == second["ETag"]


def test_if_modified_since_answers_304_and_a_change_answers_200(client, article):
    url = article.get_absolute_url()
    first = get(client, url)
    assert first.has_header("Last-Modified")
    assert get(client, url, if_modified_since=first["Last-Modified"]).status_code == 304
    assert get(client, url, if_none_match=first["ETag"]).status_code == 304
    article.title = "Sleeping well, second edition"
    article.save()
    changed = get(client, url, if_none_match=first["ETag"])
    assert changed.status_code == 200
    assert "second edition" in changed.content.decode()


def test_cached_page_nonce_matches_this_responses_csp_header(client, article):
    url = article.get_absolute_url()
    get(client, url)
    hit = get(client, url)
    assert hit["X-Page-Cache"] == "hit"
    nonces = set(re.findall(r'nonce="([^"]+)"', hit.content.decode()))
    assert len(nonces) == 1
    assert f"'nonce-{nonces.pop()}'" in hit["Content-Security-Policy"]
