""" "Updated" means updated: only an explicit substantive update moves the public date."""

import datetime
import textwrap

import pytest
from django.utils import timezone

from articles import updates
from articles.exporting import ArticleExporter
from articles.frontmatter import FormatError, parse_article
from articles.importing import ArticleImporter
from articles.models import Article
from articles.roles import EDITOR, WRITER
from tests.admin_forms import admin_form_data, change_url
from tests.article_pages import jsonld_blocks
from tests.factories import make_article
from tests.review_factories import make_role_user

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/articles/article/"


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


def published_last_month(**fields) -> Article:
    fields.setdefault("published_at", timezone.now() - datetime.timedelta(days=30))
    return make_article(**fields)


def updated_line(page: str) -> bool:
    return "<span>Updated <time" in page


def medical_web_page(response) -> dict:
    (page,) = [b for b in jsonld_blocks(response) if b["@type"] == "MedicalWebPage"]
    return page


def post_change(client, article, **changes):
    data = admin_form_data(client.get(change_url(article)))
    data.update(changes)
    return client.post(change_url(article), data)


def test_an_ordinary_admin_save_does_not_show_updated(client):
    article = published_last_month()
    client.force_login(make_role_user(EDITOR))

    response = post_change(client, article, title="A title without the typo")

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "A title without the typo"
    assert article.last_substantive_update is None
    public = client.get(article.get_absolute_url())
    assert not updated_line(public.content.decode())
    jsonld = medical_web_page(public)
    assert jsonld["dateModified"] == jsonld["datePublished"]
    assert 'property="article:modified_time"' not in public.content.decode()


def test_the_checkbox_marks_a_substantive_update_shown_in_byline_and_json_ld(client):
    article = published_last_month()
    client.force_login(make_role_user(EDITOR))

    response = post_change(client, article, body="New advice.\n", substantive_update="on")

    assert response.status_code == 302
    article.refresh_from_db()
    today = timezone.localdate()
    assert article.last_substantive_update == today
    client.logout()
    public = client.get(article.get_absolute_url())
    page = public.content.decode()
    assert f'<span>Updated <time datetime="{today.isoformat()}">' in page
    assert medical_web_page(public)["dateModified"] == today.isoformat()
    assert f'<meta property="article:modified_time" content="{today.isoformat()}">' in page


def test_a_crafted_post_cannot_set_the_date_directly(client):
    article = published_last_month()
    client.force_login(make_role_user(EDITOR))

    post_change(client, article, last_substantive_update="2099-01-01")

    article.refresh_from_db()
    assert article.last_substantive_update is None


def test_an_update_on_or_before_the_publish_date_is_not_shown(client):
    article = published_last_month()
    article.last_substantive_update = timezone.localdate(article.published_at)
    article.save()

    page = client.get(article.get_absolute_url()).content.decode()

    assert article.updated_on is None
    assert not updated_line(page)


def test_the_admin_action_marks_the_selected_articles(client):
    first, second, untouched = (published_last_month() for _ in range(3))
    client.force_login(make_role_user(EDITOR))

    response = client.post(
        CHANGELIST,
        {"action": "mark_substantive_update", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )

    assert "Marked 2 article(s)" in response.content.decode()
    today = timezone.localdate()
    assert Article.objects.get(pk=first.pk).last_substantive_update == today
    assert Article.objects.get(pk=second.pk).last_substantive_update == today
    assert Article.objects.get(pk=untouched.pk).last_substantive_update is None


def test_a_writer_cannot_mark_a_published_article_by_action(client):
    article = published_last_month()
    draft = make_article(status=Article.Status.DRAFT)
    client.force_login(make_role_user(WRITER))

    response = client.post(
        CHANGELIST,
        {"action": "mark_substantive_update", "_selected_action": [article.pk, draft.pk]},
        follow=True,
    )

    assert "Only editors can mark a published" in response.content.decode()
    assert Article.objects.get(pk=article.pk).last_substantive_update is None
    assert Article.objects.get(pk=draft.pk).last_substantive_update == timezone.localdate()


def test_the_service_refuses_a_future_date_and_a_user_without_permission():
    article = published_last_month()
    editor = make_role_user(EDITOR)
    with pytest.raises(updates.UpdateRefused, match="future"):
        updates.mark_substantive_update(
            article, editor, on=timezone.localdate() + datetime.timedelta(days=1)
        )
    reviewer = make_role_user("Medical reviewer")
    with pytest.raises(updates.UpdateRefused, match="permission"):
        updates.mark_substantive_update(article, reviewer)
    article.refresh_from_db()
    assert article.last_substantive_update is None


def test_the_service_records_the_update_in_the_history():
    from reversion.models import Version

    article = published_last_month()
    updates.mark_substantive_update(article, make_role_user(EDITOR))

    latest = Version.objects.get_for_object(article).first()
    assert "substantive update" in latest.revision.comment


FILE = """\
---
title: Sleep and mood
slug: sleep-and-mood
summary: How sleep and mood affect each other.
status: published
published: 2025-01-15
{updated}---
Body text.
"""


def write_article(tmp_path, updated_line_text: str):
    path = tmp_path / "sleep-and-mood.md"
    path.write_text(textwrap.dedent(FILE.format(updated=updated_line_text)), encoding="utf-8")
    return path


def test_import_reads_updated_and_export_writes_it_back(tmp_path, client):
    path = write_article(tmp_path, "updated: 2025-09-10\n")
    report = ArticleImporter().import_paths([path])
    assert not report.failed

    article = Article.objects.get(slug="sleep-and-mood")
    assert article.last_substantive_update == datetime.date(2025, 9, 10)
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<span>Updated <time datetime="2025-09-10">' in page

    ArticleExporter(tmp_path / "out").export()
    exported = (tmp_path / "out" / "sleep-and-mood.md").read_text(encoding="utf-8")
    assert "updated: 2025-09-10" in exported
    assert parse_article(exported).updated == datetime.date(2025, 9, 10)


def test_an_import_without_updated_shows_no_updated_line(tmp_path, client):
    article = published_last_month(slug="sleep-and-mood", last_substantive_update=None)
    updates.mark_substantive_update(article, make_role_user(EDITOR))

    report = ArticleImporter().import_paths([write_article(tmp_path, "")])

    assert not report.failed
    article.refresh_from_db()
    assert article.last_substantive_update is None
    assert not updated_line(client.get(article.get_absolute_url()).content.decode())


@pytest.mark.parametrize(
    ("line", "reason"),
    [("updated: 2999-01-01\n", "in the future"), ("updated: 2025-02-30\n", "not a valid ISO")],
)
def test_a_bad_updated_date_is_refused_with_nothing_written(tmp_path, line, reason):
    with pytest.raises(FormatError, match=reason):
        parse_article(textwrap.dedent(FILE.format(updated=line)))

    report = ArticleImporter().import_paths([write_article(tmp_path, line)])

    assert reason in report.failed[0].error
    assert not Article.objects.filter(slug="sleep-and-mood").exists()


def test_the_model_refuses_a_future_update_date():
    from django.core.exceptions import ValidationError

    article = published_last_month()
    article.last_substantive_update = timezone.localdate() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError, match="future"):
        article.full_clean()


def test_the_demo_shows_one_substantive_update_and_no_import_date_elsewhere(client):
    import io

    from django.core.management import call_command

    call_command("loaddemo", stdout=io.StringIO())

    grief = client.get("/articles/living-with-grief/").content.decode()
    assert '<span>Updated <time datetime="2026-08-12">August 12, 2026</time>' in grief
    # Imported today, but not updated: no "Updated" line.
    assert not updated_line(client.get("/articles/sleep-and-mood/").content.decode())
