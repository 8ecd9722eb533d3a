"""The editorial roles, proven by logging in as each one."""

import pytest
from django.contrib.auth.models import Group, Permission

from articles.models import Article, Category, Review
from articles.roles import (
    DIRECTORY_MANAGER,
    EDITOR,
    MEDICAL_REVIEWER,
    ROLE_PERMISSIONS,
    WRITER,
    role_permissions,
    sync_groups,
)
from tests.article_pages import jsonld_blocks
from tests.factories import make_article, make_category, make_contributor
from tests.review_factories import make_reviewed_article, make_reviewer_user, make_role_user
from tests.test_publishing import _article_form_data

pytestmark = pytest.mark.django_db

ARTICLES = "/admin/articles/article/"
REVIEW_ADD = "/admin/articles/review/add/"


def _change(article):
    return f"{ARTICLES}{article.pk}/change/"


def _add_data(**overrides):
    article = Article(title="New draft", slug="new-draft", summary="S.", body="Body.")
    data = _article_form_data(article, **overrides)
    data.pop("edit_token_seen")
    return data


# The groups themselves.


def test_the_migration_created_every_role_group_with_exactly_its_permissions():
    for role in ROLE_PERMISSIONS:
        group = Group.objects.get(name=role)
        assert set(group.permissions.all()) == set(role_permissions(role))
        assert group.permissions.exists()


def test_sync_groups_restores_permissions_changed_by_hand():
    writer = Group.objects.get(name=WRITER)
    writer.permissions.add(Permission.objects.get(codename="publish_article"))
    Group.objects.get(name=EDITOR).delete()
    sync_groups()
    assert (
        not Group.objects.get(name=WRITER).permissions.filter(codename="publish_article").exists()
    )
    assert Group.objects.get(name=EDITOR).permissions.filter(codename="delete_article").exists()


def test_only_editors_may_delete_publish_or_override():
    for codename in ("delete_article", "publish_article", "override_review_rules"):
        holders = set(
            Group.objects.filter(permissions__codename=codename).values_list("name", flat=True)
        )
        assert holders == {EDITOR}, codename


def test_directory_manager_has_every_therapist_permission_and_nothing_else():
    permissions = Group.objects.get(name=DIRECTORY_MANAGER).permissions.all()
    assert {p.content_type.app_label for p in permissions} == {"therapists"}
    assert permissions.filter(codename="change_therapist").exists()
    assert permissions.filter(codename="add_specialty").exists()


# Writer.


def test_writer_creates_and_edits_drafts(client):
    client.force_login(make_role_user(WRITER))
    assert client.get(f"{ARTICLES}add/").status_code == 200
    assert client.post(f"{ARTICLES}add/", _add_data(status="draft")).status_code == 302
    draft = Article.objects.get(slug="new-draft")
    data = _article_form_data(draft, title="Better title", status="in_review")
    assert client.post(_change(draft), data).status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.status) == ("Better title", "in_review")


def test_writer_cannot_publish(client):
    client.force_login(make_role_user(WRITER))
    draft = make_reviewed_article(status=Article.Status.DRAFT)
    form = client.get(_change(draft)).context["adminform"].form
    assert {value for value, _label in form.fields["status"].choices} == {"draft", "in_review"}
    assert "published_at" not in form.fields and "expires_at" not in form.fields
    response = client.post(_change(draft), _article_form_data(draft, status="published"))
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    action_form = client.get(ARTICLES).context["action_form"]
    actions = action_form.fields["action"].choices if action_form else []
    assert "publish" not in {name for name, _label in actions}


def test_writer_cannot_change_a_published_article_or_delete(client):
    client.force_login(make_role_user(WRITER))
    published = make_reviewed_article()
    data = _article_form_data(published, title="Sneaky edit")
    assert client.post(_change(published), data).status_code == 403
    assert client.post(f"{ARTICLES}{published.pk}/delete/", {"post": "yes"}).status_code == 403
    published.refresh_from_db()
    assert published.title != "Sneaky edit"


def test_writer_cannot_record_a_review_or_assign_a_reviewer(client):
    writer = make_role_user(WRITER)
    make_contributor(user=writer)
    client.force_login(writer)
    assert client.get(REVIEW_ADD).status_code == 403
    draft = make_article(status=Article.Status.DRAFT)
    form = client.get(_change(draft)).context["adminform"].form
    assert "reviewer" not in form.fields and "assigned_reviewer" not in form.fields
    assert "last_reviewed" not in form.fields and "next_review_due" not in form.fields


# Medical reviewer.


def test_medical_reviewer_records_reviews_but_cannot_edit_or_publish(client):
    user, contributor = make_reviewer_user()
    client.force_login(user)
    article = make_article(status=Article.Status.IN_REVIEW, last_reviewed=None)
    assert client.get(REVIEW_ADD).status_code == 200
    assert client.get(_change(article)).status_code == 200  # view only
    data = _article_form_data(article, status="published")
    assert client.post(_change(article), data).status_code == 403
    assert client.post(f"{ARTICLES}add/", _add_data()).status_code == 403
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW
    assert client.post(f"{ARTICLES}{article.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/articles/review/").status_code == 200
    assert not Review.objects.exists()


# Editor.


def test_editor_publishes_archives_schedules_and_assigns_reviewers(client):
    client.force_login(make_role_user(EDITOR))
    article = make_reviewed_article(status=Article.Status.DRAFT, published_at=None)
    stamp_reviewer = article.reviewer
    new_reviewer = make_contributor()
    data = _article_form_data(
        article, status="published", assigned_reviewer=new_reviewer.pk, reviewer=new_reviewer.pk
    )
    assert client.post(_change(article), data).status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.assigned_reviewer == new_reviewer
    # The stamp's reviewer is not a form field: a posted value is ignored.
    assert article.reviewer == stamp_reviewer
    data = _article_form_data(
        article,
        status="published",
        published_at_0="2100-01-01",
        published_at_1="08:00",
        expires_at_0="2100-06-01",
        expires_at_1="08:00",
    )
    assert client.post(_change(article), data).status_code == 302
    article.refresh_from_db()
    assert article.published_at.year == 2100 and article.expires_at.month == 6
    archive = _article_form_data(article, status="archived")
    assert client.post(_change(article), archive).status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.ARCHIVED


def test_reassigning_the_reviewer_leaves_the_public_stamp_and_json_ld_unchanged(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    reviewed_by = make_contributor(name="Dr. Noor Example", credentials="MD, psychiatrist")
    article = make_reviewed_article(reviewer=reviewed_by)
    assert article.assigned_reviewer == reviewed_by
    page = client.get(article.get_absolute_url())
    stamp = page.context["article"].reviewer
    jsonld = _medical_web_page(page)

    client.force_login(make_role_user(EDITOR))
    next_reviewer = make_contributor(name="Dr. Other Person", credentials="PhD")
    # A crafted "reviewer" value changes nothing either: it is no form field.
    data = _article_form_data(
        article, assigned_reviewer=next_reviewer.pk, reviewer=next_reviewer.pk
    )
    assert client.post(_change(article), data).status_code == 302
    article.refresh_from_db()
    assert article.assigned_reviewer == next_reviewer
    client.logout()

    page = client.get(article.get_absolute_url())
    text = page.content.decode()
    assert page.context["article"].reviewer == stamp == reviewed_by
    assert "Dr. Noor Example, MD, psychiatrist" in text and "Dr. Other Person" not in text
    assert _medical_web_page(page)["reviewedBy"] == jsonld["reviewedBy"]
    assert jsonld["reviewedBy"]["name"] == "Dr. Noor Example"
    assert _medical_web_page(page)["lastReviewed"] == jsonld["lastReviewed"]


def _medical_web_page(response) -> dict:
    (page,) = [b for b in jsonld_blocks(response) if b["@type"] == "MedicalWebPage"]
    return page


def test_editor_manages_categories_and_contributors(client):
    client.force_login(make_role_user(EDITOR))
    response = client.post(
        "/admin/articles/category/add/",
        {"name": "Medication", "slug": "medication", "review_interval_months": "6"},
    )
    assert response.status_code == 302
    assert Category.objects.get(slug="medication").review_interval_months == 6
    assert client.get("/admin/articles/contributor/add/").status_code == 200


def test_editor_can_delete_an_article(client):
    client.force_login(make_role_user(EDITOR))
    article = make_article()
    response = client.post(f"{ARTICLES}{article.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()


def test_only_editors_manage_categories(client):
    for role in (WRITER, MEDICAL_REVIEWER, DIRECTORY_MANAGER):
        client.force_login(make_role_user(role, f"user-{role.split()[0].lower()}"))
        assert client.get("/admin/articles/category/add/").status_code == 403, role


# Directory manager.


def test_directory_manager_manages_therapists_and_vocabularies_only(client):
    client.force_login(make_role_user(DIRECTORY_MANAGER))
    assert client.get("/admin/therapists/therapist/").status_code == 200
    assert client.get("/admin/therapists/therapist/add/").status_code == 200
    assert client.get("/admin/therapists/specialty/add/").status_code == 200
    assert client.get(ARTICLES).status_code == 403
    assert client.get(REVIEW_ADD).status_code == 403
    make_category()
    assert client.get("/admin/articles/category/").status_code == 403


def test_read_only_article_page_for_a_reviewer_shows_panels_but_no_form_fields(client):
    user, _contributor = make_reviewer_user()
    client.force_login(user)
    article = make_reviewed_article()
    page = client.get(_change(article)).content.decode()
    assert "content checks" in page.lower()
    assert "Edit token seen" not in page and "Reason to publish anyway" not in page
