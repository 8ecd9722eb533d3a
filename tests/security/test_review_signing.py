"""Holes 2–4 of issue 8: who may put a name on the review stamp.

Each test replays the attack as it was made (admin POSTs, the bulk action,
the review queue's one-click confirm, the service function) and checks that
nothing was signed.
"""

import html
import io

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from articles import contributors
from articles.models import Article, Contributor, Review
from articles.reviews import record_review
from articles.signing import ReviewError
from tests.admin_forms import admin_form_data
from tests.factories import make_article, make_contributor, make_staff_user
from tests.review_factories import make_reviewer_user, make_role_user

pytestmark = pytest.mark.django_db

REVIEW_ADD = "/admin/articles/review/add/"
CHANGELIST = "/admin/articles/article/"


def _page(response) -> str:
    return html.unescape(response.content.decode())


def _review_post(client, article):
    return client.post(
        REVIEW_ADD,
        {
            "article": article.pk,
            "reviewed_on": timezone.localdate().isoformat(),
            "scope": Review.Scope.FULL,
            "outcome": Review.Outcome.APPROVED,
        },
    )


def _mark_reviewed(client, article):
    return client.post(
        CHANGELIST,
        {"action": "mark_reviewed_today", "_selected_action": [article.pk]},
        follow=True,
    )


def _confirm(client, article):
    return client.post(f"/admin/articles/reviewqueue/{article.pk}/confirm/", follow=True)


def _unreviewed(**fields):
    fields.setdefault("status", Article.Status.IN_REVIEW)
    return make_article(last_reviewed=None, reviewer=None, **fields)


def _stamp(article):
    article.refresh_from_db()
    return article.reviewer_id, article.last_reviewed


# Hole 2: self-review ----------------------------------------------------------


@pytest.fixture
def writer_reviewer(client):
    """A user who is both Writer and Medical reviewer, with a credentialed profile."""
    user, profile = make_reviewer_user("wanda")
    user.groups.add(Group.objects.get(name="Writer"))
    client.force_login(user)
    return client, user, profile


def test_author_cannot_approve_a_full_review_of_their_own_article(writer_reviewer):
    client, _user, profile = writer_reviewer
    article = _unreviewed(author=profile)
    response = _review_post(client, article)
    assert response.status_code == 200
    assert "someone other than the article's author" in _page(response)
    for attack in (_mark_reviewed, _confirm):
        page = _page(attack(client, article))
        assert "someone other than the article" in page
    assert not Review.objects.exists()
    assert _stamp(article) == (None, None)


def test_user_who_wrote_the_text_since_the_last_review_cannot_review_it(writer_reviewer):
    client, _user, _profile = writer_reviewer
    article = _unreviewed(author=make_contributor())
    change = f"/admin/articles/article/{article.pk}/change/"
    data = admin_form_data(client.get(change))
    data["body"] = "My own rewrite of the whole article.\n\n## Section\n\nText.\n"
    assert client.post(change, data).status_code == 302
    response = _review_post(client, article)
    assert "did not write the text" in _page(response)
    assert not Review.objects.exists()


def test_writing_before_someone_else_reviewed_does_not_bar_the_next_review(writer_reviewer):
    client, _user, _profile = writer_reviewer
    article = _unreviewed(author=make_contributor())
    change = f"/admin/articles/article/{article.pk}/change/"
    data = admin_form_data(client.get(change))
    data["body"] = "A first draft.\n\n## Section\n\nText.\n"
    assert client.post(change, data).status_code == 302
    record_review(article, reviewer=make_contributor())
    assert _review_post(client, article).status_code == 302
    assert Review.objects.count() == 2


def test_the_service_refuses_a_self_review_whoever_calls_it():
    author = make_contributor()
    article = _unreviewed(author=author)
    with pytest.raises(ReviewError, match="author"):
        record_review(article, reviewer=author)
    assert _stamp(article) == (None, None)


def test_self_review_is_allowed_only_when_the_setting_says_so(writer_reviewer, settings):
    client, _user, profile = writer_reviewer
    article = _unreviewed(author=profile)
    settings.ALLOW_SELF_REVIEW = True
    assert _review_post(client, article).status_code == 302
    assert _stamp(article)[0] == profile.pk


# Hole 3: signing as someone else ---------------------------------------------


def test_editor_cannot_link_a_clinicians_profile_to_their_own_login(client):
    editor = make_role_user("Editor")
    clinician = make_contributor(name="Dr. Someone Else")
    client.force_login(editor)
    url = f"/admin/articles/contributor/{clinician.pk}/change/"
    data = admin_form_data(client.get(url))
    data["user"] = str(editor.pk)
    assert client.post(url, data).status_code == 302
    clinician.refresh_from_db()
    assert clinician.user_id is None
    added = client.post(
        "/admin/articles/contributor/add/",
        {"name": "Dr. Made Up", "slug": "dr-made-up", "credentials": "MD", "user": editor.pk},
    )
    assert added.status_code == 302
    assert Contributor.objects.get(slug="dr-made-up").user_id is None
    with pytest.raises(PermissionDenied):
        contributors.link_user(clinician, editor, by=editor)
    assert Contributor.objects.get(pk=clinician.pk).user_id is None


def test_administrator_links_a_login_and_the_change_is_in_the_history(client):
    admin_user = make_staff_user("root")
    reviewer = make_role_user("Medical reviewer")
    clinician = make_contributor(name="Dr. Linked Example")
    client.force_login(admin_user)
    url = f"/admin/articles/contributor/{clinician.pk}/change/"
    data = admin_form_data(client.get(url))
    data["user"] = str(reviewer.pk)
    assert client.post(url, data).status_code == 302
    clinician.refresh_from_db()
    assert clinician.user == reviewer
    entry = LogEntry.objects.get(
        object_id=str(clinician.pk), change_message__startswith="Login changed"
    )
    assert entry.get_change_message() == "Login changed from no login to medical-reviewer."
    assert entry.user == admin_user


def test_a_review_is_signed_only_with_the_users_own_profile():
    user, _own = make_reviewer_user()
    someone_else = make_contributor(name="Dr. Not Me")
    article = _unreviewed()
    with pytest.raises(ReviewError, match="own contributor profile"):
        record_review(article, reviewer=someone_else, user=user)
    assert not Review.objects.exists()


def test_a_crafted_reviewer_field_is_ignored_by_the_review_form(client):
    user, own = make_reviewer_user()
    someone_else = make_contributor(name="Dr. Not Me")
    article = _unreviewed()
    client.force_login(user)
    response = client.post(
        REVIEW_ADD,
        {
            "article": article.pk,
            "reviewer": someone_else.pk,
            "reviewed_by_user": "",
            "reviewed_on": timezone.localdate().isoformat(),
            "scope": Review.Scope.FULL,
            "outcome": Review.Outcome.APPROVED,
        },
    )
    assert response.status_code == 302
    assert Review.objects.get().reviewer == own


# Hole 4: non-clinicians signing ----------------------------------------------


def test_superuser_with_a_profile_cannot_record_a_review(client):
    boss = make_staff_user("boss")
    make_contributor(name="Boss Person", credentials="not a clinician", user=boss)
    article = _unreviewed()
    client.force_login(boss)
    assert client.get(REVIEW_ADD).status_code == 403
    assert _review_post(client, article).status_code == 403
    assert _confirm(client, article).status_code == 403
    _mark_reviewed(client, article)
    with pytest.raises(ReviewError, match="Medical reviewer role"):
        record_review(article, reviewer=boss.contributor, user=boss)
    assert not Review.objects.exists()
    assert _stamp(article) == (None, None)


def test_editor_with_a_credentialed_profile_cannot_record_a_review(client):
    editor = make_role_user("Editor")
    make_contributor(name="Editor Person", user=editor)
    article = _unreviewed()
    client.force_login(editor)
    assert _review_post(client, article).status_code == 403
    assert _confirm(client, article).status_code == 403
    _mark_reviewed(client, article)
    assert not Review.objects.exists()


def test_medical_reviewer_without_credentials_cannot_sign(client):
    user, profile = make_reviewer_user()
    profile.credentials = ""
    profile.save()
    client.force_login(user)
    response = _review_post(client, _unreviewed())
    assert "has no credentials" in _page(response)
    assert not Review.objects.exists()


def test_an_import_cannot_stamp_an_article_as_reviewed_by_its_author(tmp_path):
    source = tmp_path / "self-reviewed.md"
    source.write_text(
        "---\n"
        "title: Self reviewed\n"
        "slug: self-reviewed\n"
        "summary: An article whose file names its author as its reviewer.\n"
        "status: published\n"
        "author: Dr. Same Person\n"
        "reviewer: Dr. Same Person\n"
        "last_reviewed: 2026-01-05\n"
        "---\n\n"
        "Body text.\n",
        encoding="utf-8",
    )
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_articles", str(source), stdout=out, stderr=err)
    assert "also the author" in out.getvalue() + err.getvalue()
    assert not Article.objects.filter(slug="self-reviewed").exists()
    assert not Review.objects.exists()


def test_the_model_refuses_a_login_change_that_bypasses_the_linking_service():
    editor = make_role_user("Editor")
    clinician = Contributor.objects.get(pk=make_contributor(name="Dr. Guarded").pk)
    clinician.user = editor
    with pytest.raises(PermissionDenied):
        clinician.save()
    assert Contributor.objects.get(pk=clinician.pk).user_id is None
    clinician.name = "Dr. Guarded Renamed"
    clinician.user = None
    clinician.save()
    assert Contributor.objects.get(pk=clinician.pk).name == "Dr. Guarded Renamed"


def test_a_profile_reloaded_after_an_administrator_linked_it_saves_normally():
    admin_user = make_staff_user("root")
    reviewer = make_role_user("Medical reviewer")
    stale = Contributor.objects.get(pk=make_contributor(name="Dr. Reloaded").pk)
    contributors.link_user(Contributor.objects.get(pk=stale.pk), reviewer, by=admin_user)
    stale.refresh_from_db()
    stale.bio = "Updated biography."
    stale.save()
    assert Contributor.objects.get(pk=stale.pk).user == reviewer
