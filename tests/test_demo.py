"""loaddemo (demo articles through the importer) and demo_editor (local login)."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image

from articles.demo_loader import DEMO_DIR
from articles.models import FAQ, Article, Category, Contributor, Reference, RelatedArticle
from articles.reviews import record_review
from articles.signing import ReviewError
from tests.factories import make_article, make_contributor


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=out)
    return out.getvalue()


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (Article, Contributor, Category, FAQ, Reference, RelatedArticle)
    }


@pytest.fixture
def no_therapist_demo(monkeypatch):
    """Keep these tests about the articles: the therapist demo loader only records its calls."""
    calls = []
    monkeypatch.setattr("mhsite.management.commands.loaddemo.load_demo_therapists", calls.append)
    return calls


@pytest.mark.django_db
def test_loaddemo_loads_complete_demo_articles_and_the_therapist_demo(no_therapist_demo):
    run("loaddemo")
    assert len(no_therapist_demo) == 1
    published = Article.objects.published()
    assert published.count() >= 6
    assert Article.objects.filter(status=Article.Status.IN_REVIEW).exists()
    assert Article.objects.overdue().published().exists()
    for article in published:
        assert "Demo content" in article.body, article.slug
        assert article.author and article.reviewer and article.reviewer.credentials
        # So the review queue and reminders have someone to go to.
        assert article.assigned_reviewer == article.reviewer
        assert article.categories.exists() and article.faqs.count() >= 2
        assert article.references.exists() and article.related_links.exists()
        assert article.image_alt and article.image_credit and article.last_reviewed
        assert default_storage.exists(article.image.name)
        assert len(article.summary) <= 300
        assert article.toc, "each has ## sections"
    # The sleep article also shows a body image, copied into media by the importer.
    sleep = Article.objects.get(slug="sleep-and-mood")
    body_image = re.search(r"\]\((/media/[^)\s]+)", sleep.body).group(1)
    assert default_storage.exists(body_image.removeprefix("/media/"))
    assert "(fictional demo contributor)" in sleep.author.credentials


@pytest.mark.django_db
def test_demo_has_an_article_that_stays_overdue_for_review(no_therapist_demo):
    run("loaddemo")
    anxiety = Article.objects.get(slug="understanding-anxiety")
    assert anxiety.review_state() == "overdue"
    assert anxiety.next_review_due.isoformat() == "2026-06-02"
    # Due soon as of the demo's writing (2026-11-27): the default 12-month interval applies.
    sleep = Article.objects.get(slug="sleep-and-mood")
    assert sleep.next_review_due.isoformat() == "2026-12-18"


@pytest.mark.django_db
def test_loaddemo_twice_changes_nothing_and_keeps_editors_changes(no_therapist_demo):
    run("loaddemo")
    before = counts()
    modified = dict(Article.objects.values_list("slug", "modified_at"))
    Article.objects.filter(slug="living-with-grief").update(title="Edited by an editor")

    output = run("loaddemo")

    assert counts() == before
    assert dict(Article.objects.values_list("slug", "modified_at")) == modified
    assert Article.objects.get(slug="living-with-grief").title == "Edited by an editor"
    assert "0 failed" in output and "created" not in output


@pytest.mark.django_db
def test_loaddemo_update_restores_files_and_a_second_update_changes_nothing(no_therapist_demo):
    run("loaddemo")
    Article.objects.filter(slug="living-with-grief").update(title="Edited by an editor")
    run("loaddemo", "--update")
    assert Article.objects.get(slug="living-with-grief").title == "Living with grief"
    modified = dict(Article.objects.values_list("slug", "modified_at"))
    output = run("loaddemo", "--update")
    assert dict(Article.objects.values_list("slug", "modified_at")) == modified
    assert "updated" not in output.replace("0 updated", "")


def test_demo_images_are_small_original_files():
    images = sorted((DEMO_DIR / "images").iterdir())
    assert images
    for path in images:
        assert path.stat().st_size < 60 * 1024, path.name
        with Image.open(path) as image:
            assert image.format in {"PNG", "WEBP"}


# demo_editor


@pytest.mark.django_db
def test_demo_editor_creates_one_account_per_role_and_prints_passwords_once(settings):
    settings.DEBUG = True
    first = run("demo_editor")
    password = re.search(r"username: editor\s+password: (\S+)", first).group(1)
    user = get_user_model().objects.get(username="editor")
    assert user.is_staff and not user.is_superuser and user.check_password(password)
    assert list(user.groups.values_list("name", flat=True)) == ["Editor"]
    # The demo reviewer signs as a fictional demo clinician; the editor signs nothing.
    reviewer = get_user_model().objects.get(username="reviewer")
    assert "fictional demo contributor" in reviewer.contributor.credentials
    assert not Contributor.objects.filter(user=user).exists()
    assert "http://127.0.0.1:8000/admin/" in first and "changepassword" in first

    second = run("demo_editor")
    assert password not in second
    assert "already exists" in second and "changepassword" in second
    assert get_user_model().objects.count() == 4


@pytest.mark.django_db
def test_demo_accounts_one_per_role_none_a_superuser(settings):
    settings.DEBUG = True
    output = run("demo_editor")
    expected = {
        "writer": "Writer",
        "reviewer": "Medical reviewer",
        "editor": "Editor",
        "directory": "Directory manager",
    }
    for username, role in expected.items():
        user = get_user_model().objects.get(username=username)
        password = re.search(rf"username: {username}\s+password: (\S+)", output).group(1)
        assert user.check_password(password)
        assert user.is_staff and not user.is_superuser
        assert list(user.groups.values_list("name", flat=True)) == [role]
    editor = get_user_model().objects.get(username="editor")
    with pytest.raises(ReviewError):
        record_review(make_article(), reviewer=make_contributor(user=editor), user=editor)
    reviewer = get_user_model().objects.get(username="reviewer")
    assert reviewer.contributor.credentials


@pytest.mark.django_db
def test_demo_editor_demotes_an_old_superuser_editor(settings):
    settings.DEBUG = True
    old = get_user_model().objects.create_superuser("editor", "editor@example.com", "x")
    Contributor.objects.create(name="Demo Editor", slug="demo-editor", user=old)
    run("demo_editor")
    old.refresh_from_db()
    assert not old.is_superuser
    assert not Contributor.objects.filter(user=old).exists()


@pytest.mark.django_db
def test_demo_editor_points_at_the_admin_where_the_site_is_served(settings):
    settings.DEBUG = True
    output = run("demo_editor", "--admin-url", "http://127.0.0.1:8123/admin/")
    assert "http://127.0.0.1:8123/admin/" in output
    assert "8000" not in output


@pytest.mark.django_db
def test_demo_editor_refuses_with_debug_off(settings):
    settings.DEBUG = False
    output = run("demo_editor")
    assert "DEBUG is off" in output and "password" not in output
    assert not get_user_model().objects.exists()
