"""django-markdownx's endpoints answer active staff only, on our own views, with CSRF protection."""

import pytest
from django.core.files.storage import default_storage

from tests.factories import make_staff_user
from tests.markdownx_endpoints.helpers import (
    AJAX,
    CVE_PAYLOADS,
    MARKDOWNIFY,
    UPLOAD,
    image_bytes,
    upload,
)


@pytest.fixture
def non_staff_client(client, django_user_model):
    user = django_user_model.objects.create_user("reader", password="pw-for-tests-only")
    client.force_login(user)
    return client


@pytest.fixture
def inactive_staff_client(client):
    user = make_staff_user("former-editor", superuser=False)
    client.force_login(user)
    user.is_active = False
    user.save()
    return client


# Who may call them -----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", [MARKDOWNIFY, UPLOAD])
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("who", ["anonymous", "non_staff", "inactive_staff"])
def test_endpoints_refuse_everyone_but_active_staff_with_403(request, client, url, method, who):
    if who != "anonymous":
        client = request.getfixturevalue(f"{who}_client")
    data = {"content": CVE_PAYLOADS[0]} if url == MARKDOWNIFY else {}
    response = getattr(client, method)(url, data, **AJAX)
    assert response.status_code == 403  # not a redirect to a login page
    assert b"<script" not in response.content


@pytest.mark.django_db
def test_upload_from_anonymous_stores_nothing(client):
    response = upload(client, "a.png", image_bytes("PNG"), "image/png")
    assert response.status_code == 403
    assert not default_storage.exists("markdownx")


@pytest.mark.django_db
def test_preview_answers_staff_and_get_is_not_allowed(staff_client):
    assert staff_client.post(MARKDOWNIFY, {"content": "**hi**"}).content == (
        b"<p><strong>hi</strong></p>"
    )
    assert staff_client.get(MARKDOWNIFY).status_code == 405


@pytest.mark.django_db
def test_staff_who_is_not_superuser_may_preview(client):
    client.force_login(make_staff_user("writer", superuser=False))
    assert client.post(MARKDOWNIFY, {"content": "*x*"}).status_code == 200


def test_markdownx_url_names_route_to_our_staff_only_views():
    from django.urls import get_resolver, resolve

    from articles import markdownx_views

    assert resolve(MARKDOWNIFY).func.view_class is markdownx_views.MarkdownifyView
    assert resolve(UPLOAD).func.view_class is markdownx_views.ImageUploadView

    def view_modules(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from view_modules(pattern.url_patterns)
            else:
                yield getattr(pattern.callback, "view_class", pattern.callback).__module__

    # markdownx's own, unprotected views are not reachable at any address.
    assert "markdownx.views" not in set(view_modules(get_resolver().url_patterns))


@pytest.mark.django_db
def test_endpoints_keep_csrf_protection():
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(make_staff_user())
    assert csrf_client.post(MARKDOWNIFY, {"content": "x"}).status_code == 403
    response = upload(csrf_client, "a.png", image_bytes("PNG"), "image/png")
    assert response.status_code == 403
