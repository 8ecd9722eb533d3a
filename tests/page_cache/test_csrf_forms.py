"""Cached pages with a POST form: each reader gets a working CSRF token of their own."""

import re

import pytest
from django.http import HttpResponse
from django.template import engines
from django.test import Client, override_settings
from django.urls import path

pytestmark = pytest.mark.django_db


# A page with a POST form, to prove the CSRF handling of cached pages on its own.
def _form_page(request):
    template = engines["django"].from_string(
        '<form method="post">{% csrf_token %}<button>Send</button></form>'
    )
    return HttpResponse(template.render({}, request))


def _form_post(request):
    return HttpResponse("accepted")


urlpatterns = [
    path("form/", _form_page, name="form-page"),
    path("form/post/", _form_post, name="form-post"),
]


@override_settings(ROOT_URLCONF=__name__, PAGE_CACHE_URL_NAMES={"form-page"})
def test_cached_page_with_a_form_gives_each_reader_a_working_csrf_token():
    first_reader, second_reader = (Client(enforce_csrf_checks=True) for _ in range(2))
    first_reader.get("/form/")
    page = second_reader.get("/form/")
    assert page["X-Page-Cache"] == "hit"
    # The reader gets their own cookie, and the page must not go to a shared cache.
    assert "csrftoken" in page.cookies
    assert "private" in page["Cache-Control"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    response = second_reader.post("/form/post/", {"csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == 200
    assert response.content == b"accepted"


@override_settings(ROOT_URLCONF=__name__, PAGE_CACHE_URL_NAMES={"form-page"})
def test_a_readers_token_from_a_cached_page_is_not_another_readers():
    first_reader, second_reader = (Client(enforce_csrf_checks=True) for _ in range(2))
    first_page = first_reader.get("/form/").content.decode()
    second_reader.get("/form/")
    first_token = re.search(r'value="([^"]+)"', first_page).group(1)
    # The second reader replaying the first reader's token is refused.
    assert (
        second_reader.post("/form/post/", {"csrfmiddlewaretoken": first_token}).status_code == 403
    )
