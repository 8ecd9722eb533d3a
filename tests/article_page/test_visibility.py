"""Which articles the public sees, and the staff preview of the others."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article
from tests.article_pages import reviewed_article
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "status", [Article.Status.DRAFT, Article.Status.IN_REVIEW, Article.Status.ARCHIVED]
)
def test_unpublished_article_is_404_for_public_and_preview_for_staff(
    anonymous_client, staff_client, status
):
    article = make_article(status=status, title="Not yet out")

    assert anonymous_client.get(article.get_absolute_url()).status_code == 404

    response = staff_client.get(article.get_absolute_url())
    assert response.status_code == 200
    assertContains(response, "Preview — not public.")
    assertContains(response, f"Status: {article.get_status_display()}")
    assertContains(response, '<meta name="robots" content="noindex, nofollow">')
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_scheduled_article_is_404_for_public_and_preview_for_staff(anonymous_client, staff_client):
    article = make_article(published_at=timezone.now() + datetime.timedelta(days=3))
    assert anonymous_client.get(article.get_absolute_url()).status_code == 404
    response = staff_client.get(article.get_absolute_url())
    assertContains(response, "Preview — not public.")
    assertContains(response, "scheduled for")


def test_expired_article_is_404_for_public_and_preview_for_staff(anonymous_client, staff_client):
    article = make_article(
        published_at=timezone.now() - datetime.timedelta(days=30),
        expires_at=timezone.now() - datetime.timedelta(days=1),
    )
    assert anonymous_client.get(article.get_absolute_url()).status_code == 404
    response = staff_client.get(article.get_absolute_url())
    assertContains(response, "Preview — not public.")
    assertContains(response, "expired on")


def test_non_staff_user_cannot_preview(client, django_user_model):
    user = django_user_model.objects.create_user(username="reader", password="x-for-tests")
    client.force_login(user)
    assert client.get(make_article(status="draft").get_absolute_url()).status_code == 404


def test_published_article_has_no_preview_banner_for_staff(staff_client):
    response = staff_client.get(reviewed_article().get_absolute_url())
    assert response.status_code == 200
    assertNotContains(response, "Preview — not public")
    assertNotContains(response, 'content="noindex')


def test_admin_view_on_site_opens_the_draft_preview(staff_client):
    article = make_article(status=Article.Status.DRAFT)
    content_type = ContentType.objects.get_for_model(Article)
    response = staff_client.get(f"/admin/r/{content_type.pk}/{article.pk}/", follow=True)
    assert response.redirect_chain[-1][0].endswith(article.get_absolute_url())
    assertContains(response, "Preview — not public.")


def test_unknown_slug_is_404(client):
    response = client.get("/articles/no-such-article/")
    assert response.status_code == 404
    assertContains(response, "couldn’t find that page", status_code=404)
