"""Saving through the article admin's forms, with their inlines and uploads."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from articles.models import Article, Category, Contributor
from tests.admin_forms import add_rows, admin_form_data, change_url
from tests.article_admin.helpers import ADD, png_upload
from tests.factories import make_article, make_category, make_contributor, make_faq, make_reference


@pytest.mark.django_db
def test_add_article_with_faqs_references_and_related_links(staff_client):
    author, reviewer = make_contributor(), make_contributor()
    category = make_category()
    other = make_article(title="Sleep and mood")
    data = admin_form_data(staff_client.get(ADD))
    data.update(
        title="Understanding panic attacks",
        slug="understanding-panic-attacks",
        summary="What a panic attack is and what helps.",
        body="Intro.\n\n## What happens\n\nText.",
        status=Article.Status.DRAFT,
        categories=[str(category.pk)],
        author=str(author.pk),
        assigned_reviewer=str(reviewer.pk),
    )
    add_rows(
        data,
        "faqs",
        [
            {"question": "Are panic attacks dangerous?", "answer": "*Usually* not.", "order": "2"},
            {"question": "Can they be treated?", "answer": "Yes.", "order": "1"},
        ],
    )
    add_rows(data, "references", [{"citation": "Example A. Panic. 2024.", "order": "0"}])
    add_rows(data, "related_links", [{"target": str(other.pk), "order": "0"}])
    response = staff_client.post(ADD, data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    article = Article.objects.get(slug="understanding-panic-attacks")
    assert [faq.question for faq in article.faqs.all()] == [
        "Can they be treated?",
        "Are panic attacks dangerous?",
    ]
    assert article.faqs.get(order=2).answer_html == "<p><em>Usually</em> not.</p>"
    assert article.references.get().citation == "Example A. Panic. 2024."
    assert [link.target for link in article.related_links.all()] == [other]
    assert list(article.categories.all()) == [category]
    assert '<h2 id="what-happens">' in article.body_html
    # Assigned for the next review; only a recorded review names the stamp's reviewer.
    assert article.assigned_reviewer == reviewer and article.reviewer is None


@pytest.mark.django_db
def test_change_form_round_trips_unchanged(staff_client):
    article = make_article(categories=[make_category()])
    make_faq(article)
    make_reference(article)
    data = admin_form_data(staff_client.get(change_url(article)))
    response = staff_client.post(change_url(article), data)
    assert response.status_code == 302
    assert article.faqs.count() == 1 and article.references.count() == 1


@pytest.mark.django_db
def test_image_without_alt_text_is_a_form_error_not_a_server_error(staff_client):
    data = admin_form_data(staff_client.get(ADD))
    data.update(
        title="With image",
        slug="with-image",
        summary="S.",
        body="B.",
        status=Article.Status.DRAFT,
        image=png_upload(),
        image_alt="",
    )
    response = staff_client.post(ADD, data)
    assert response.status_code == 200
    assert "image_alt" in response.context["adminform"].form.errors
    assert not Article.objects.filter(slug="with-image").exists()


@pytest.mark.django_db
def test_uploaded_article_image_is_reencoded_and_renamed(staff_client):
    data = admin_form_data(staff_client.get(ADD))
    data.update(
        title="With image",
        slug="with-image",
        summary="S.",
        body="B.",
        status=Article.Status.DRAFT,
        image=png_upload("Calm Room!.gif"),
        image_alt="An empty, sunlit room with a chair.",
    )
    assert staff_client.post(ADD, data).status_code == 302
    article = Article.objects.get(slug="with-image")
    # A random name (mhsite/images.py): nothing of the client's name is kept.
    assert re.fullmatch(r"articles/[0-9a-f]{32}\.png", article.image.name)
    with article.image.open() as stored, Image.open(stored) as image:
        assert image.format == "PNG"


@pytest.mark.django_db
def test_svg_disguised_as_article_image_is_refused(staff_client):
    data = admin_form_data(staff_client.get(ADD))
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
    data.update(
        title="T",
        slug="t",
        summary="S.",
        body="B.",
        image=SimpleUploadedFile("x.png", svg, content_type="image/png"),
        image_alt="Alt",
    )
    response = staff_client.post(ADD, data)
    assert response.status_code == 200
    assert "image" in response.context["adminform"].form.errors


@pytest.mark.django_db
def test_relating_an_article_to_itself_is_a_form_error(staff_client):
    article = make_article()
    data = admin_form_data(staff_client.get(change_url(article)))
    add_rows(data, "related_links", [{"target": str(article.pk), "order": "0"}])
    response = staff_client.post(change_url(article), data)
    assert response.status_code == 200
    assert not article.related_links.exists()


@pytest.mark.django_db
def test_category_and_contributor_can_be_added(staff_client):
    response = staff_client.post(
        reverse("admin:articles_category_add"),
        {"name": "Anxiety", "slug": "anxiety", "description": ""},
    )
    assert response.status_code == 302
    assert Category.objects.filter(slug="anxiety").exists()

    add_contributor = reverse("admin:articles_contributor_add")
    data = admin_form_data(staff_client.get(add_contributor))
    data.update(name="Dr. Ada Example", slug="ada-example", credentials="MD", bio="Fictional.")
    data["photo"] = png_upload("ada.png")
    assert staff_client.post(add_contributor, data).status_code == 302
    contributor = Contributor.objects.get(slug="ada-example")
    assert contributor.photo.name.endswith(".png")
