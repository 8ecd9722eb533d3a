"""Admin login throttling: django-axes locks out repeated failures."""

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import make_staff_user

pytestmark = pytest.mark.django_db

LOGIN_URL = "/admin/login/?next=/admin/"


def attempt(client: Client, password: str):
    return client.post(
        LOGIN_URL, {"username": "editor", "password": password}, REMOTE_ADDR="203.0.113.7"
    )


def test_repeated_failed_admin_logins_lock_the_account_out():
    make_staff_user("editor")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, "wrong password")
        assert response.status_code == 200  # the login form again, with an error
    locked = attempt(client, "wrong password")
    assert locked.status_code == 429
    # Once locked, even the right password is refused.
    after = attempt(client, "pw-for-tests-only")
    assert after.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lockout_is_per_user_and_address_not_for_everyone():
    make_staff_user("editor")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(Client(), "wrong password")
    elsewhere = Client().post(
        LOGIN_URL,
        {"username": "editor", "password": "pw-for-tests-only"},
        REMOTE_ADDR="198.51.100.20",
    )
    assert elsewhere.status_code == 302
    assert elsewhere["Location"] == "/admin/"


def test_fewer_failures_than_the_limit_still_allow_login():
    make_staff_user("editor")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "wrong password")
    response = attempt(client, "pw-for-tests-only")
    assert response.status_code == 302
