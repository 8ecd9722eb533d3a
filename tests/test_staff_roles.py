"""Role membership gives admin access, losing the last role takes it; the Users list shows roles."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.admin_forms import admin_form_data
from tests.factories import make_staff_user

pytestmark = pytest.mark.django_db

USERS = "/admin/auth/user/"


def _user(username="newcomer"):
    return get_user_model().objects.create_user(username, f"{username}@example.com", "x")


def _staff(user) -> bool:
    user.refresh_from_db()
    return user.is_staff


def test_joining_a_role_gives_admin_access_and_leaving_the_last_takes_it():
    writer, editor = Group.objects.get(name="Writer"), Group.objects.get(name="Editor")
    user = _user()
    user.groups.add(writer)
    assert _staff(user) and user.is_staff
    user.groups.add(editor)
    user.groups.remove(writer)
    assert _staff(user)
    user.groups.remove(editor)
    assert not _staff(user)
    user.groups.set([writer])
    assert _staff(user)
    user.groups.clear()
    assert not _staff(user)


def test_adding_users_from_the_group_side_works_too():
    reviewer_role = Group.objects.get(name="Medical reviewer")
    first, second = _user("first"), _user("second")
    reviewer_role.user_set.add(first, second)
    assert _staff(first) and _staff(second)
    reviewer_role.user_set.clear()
    assert not _staff(first) and not _staff(second)


def test_a_group_that_is_not_a_role_and_superusers_are_left_alone():
    other = Group.objects.create(name="Newsletter")
    user = _user()
    user.groups.add(other)
    assert not _staff(user)
    boss = make_staff_user("boss")
    boss.groups.add(Group.objects.get(name="Writer"))
    boss.groups.clear()
    assert _staff(boss)


def test_adding_a_role_on_the_user_page_is_enough_to_log_in(client):
    client.force_login(make_staff_user("root"))
    user = _user()
    url = f"{USERS}{user.pk}/change/"
    data = admin_form_data(client.get(url))
    data["groups"] = [str(Group.objects.get(name="Writer").pk)]
    data.pop("is_staff", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert _staff(user)


def test_users_list_shows_roles_in_a_fixed_number_of_queries(client):
    client.force_login(make_staff_user("root"))
    _user("a").groups.add(Group.objects.get(name="Writer"))
    client.get(USERS)
    with CaptureQueriesContext(connection) as few:
        page = client.get(USERS).content.decode()
    assert "Writer" in page and "Superuser" in page
    for n in range(5):
        _user(f"more{n}").groups.add(Group.objects.get(name="Editor"))
    with CaptureQueriesContext(connection) as many:
        page = client.get(USERS).content.decode()
    assert len(many) == len(few)
    assert page.count('<td class="field-roles">Editor</td>') == 5
