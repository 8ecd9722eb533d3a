""" "How we review": an editor-managed page, installed with a default text, linked from stamps."""

import datetime

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.editorial import ensure_default_pages
from articles.models import Article, EditorialPage
from articles.roles import EDITOR, WRITER
from tests.factories import make_article
from tests.review_factories import make_role_user

pytestmark = pytest.mark.django_db

URL = "/how-we-review/"
LINK = '<a class="review-stamp__how" href="/how-we-review/">How we review</a>'


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


def page() -> EditorialPage:
    return EditorialPage.objects.how_we_review().get()


ADMIN = "/admin/articles/editorialpage/"


def admin_url(obj=None) -> str:
    return f"{ADMIN}{obj.pk}/change/" if obj else ADMIN


def test_the_migration_installs_a_default_page(client):
    response = client.get(URL)

    assertContains(response, '<h1 id="page-title">How we review our articles</h1>', html=True)
    assert '<h2 id="what-a-medical-review-checks">' in page().body_html
    assertContains(response, "What a medical review checks")
    assertContains(response, f'<time datetime="{page().last_reviewed.isoformat()}">')
    assertContains(response, "corrections@example.com")


@pytest.mark.parametrize(
    "fields",
    [
        {},  # reviewed
        {"changed_since_review": True},  # edited since the review
        {"last_reviewed": None},  # never reviewed
        {"last_reviewed": datetime.date(2020, 1, 1), "next_review_due": datetime.date(2021, 1, 1)},
    ],
    ids=["reviewed", "changed", "never", "overdue"],
)
def test_every_review_stamp_links_to_the_page(client, fields):
    article = make_article(**fields)
    assertContains(client.get(article.get_absolute_url()), LINK, html=True)


def test_an_editor_rewrites_it_through_the_sanitizing_renderer(client):
    client.force_login(make_role_user(EDITOR))
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    response = client.post(
        admin_url(page()),
        {
            "title": "How our clinicians check articles",
            "body": "## Our promise\n\nEvery article.<script>alert(1)</script>"
            '<a href="javascript:alert(1)">x</a>',
            "last_reviewed": yesterday.isoformat(),
        },
    )

    assert response.status_code == 302
    public = client.get(URL)
    assertContains(public, "How our clinicians check articles")
    assertContains(public, "Our promise")
    assertContains(public, f'<time datetime="{yesterday.isoformat()}">')
    assertNotContains(public, "<script>alert")
    assertNotContains(public, "javascript:")


def test_a_future_last_reviewed_date_is_a_form_error_and_changes_nothing(client):
    client.force_login(make_role_user(EDITOR))
    before = page()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = client.post(
        admin_url(before),
        {"title": "Changed", "body": "Changed.", "last_reviewed": tomorrow.isoformat()},
    )

    assert response.status_code == 200
    assertContains(response, "The last review cannot be in the future.")
    assert page().title == before.title


def test_editors_cannot_add_or_delete_it_and_writers_cannot_change_it(client):
    client.force_login(make_role_user(EDITOR))
    assert client.get(admin_url() + "add/").status_code == 403
    assert client.post(admin_url() + f"{page().pk}/delete/", {"post": "yes"}).status_code == 403
    assert EditorialPage.objects.count() == 1

    client.force_login(make_role_user(WRITER))
    response = client.post(
        admin_url(page()), {"title": "Hacked", "body": "x", "last_reviewed": "2020-01-01"}
    )
    assert response.status_code == 403
    assert page().title != "Hacked"


def test_ensure_default_pages_keeps_editors_text_and_restores_a_missing_page():
    EditorialPage.objects.update(title="The editors' own title")
    assert ensure_default_pages() == []
    assert page().title == "The editors' own title"

    EditorialPage.objects.all().delete()
    assert ensure_default_pages() == ["How we review our articles"]
    assert "medical review" in page().body_html


def test_it_is_in_the_sitemap_and_a_missing_page_is_404_not_500(client, settings):
    settings.SITE_URL = "https://mh.example.com"
    assert "https://mh.example.com/how-we-review/" in client.get("/sitemap.xml").content.decode()
    EditorialPage.objects.all().delete()
    assert client.get(URL).status_code == 404


def test_a_staff_preview_of_a_draft_links_to_the_page_too(client):
    draft = make_article(status=Article.Status.DRAFT)
    client.force_login(make_role_user(EDITOR))
    assertContains(client.get(draft.get_absolute_url()), LINK, html=True)


def test_loaddemo_restores_the_default_page_if_it_was_removed():
    import io

    from django.core.management import call_command

    EditorialPage.objects.all().delete()
    out = io.StringIO()
    call_command("loaddemo", stdout=out)

    assert "How we review our articles" in out.getvalue()
    assert page().last_reviewed == timezone.localdate()
