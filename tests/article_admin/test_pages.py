"""The article admin's pages load for staff only, preview drafts, and keep a query budget."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from tests.admin_forms import change_url
from tests.article_admin.helpers import ADD, CHANGELIST
from tests.factories import link_related, make_article, make_category, make_faq, make_reference

# Pages load ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("model_name", ["article", "category", "contributor"])
def test_changelist_and_add_pages_load(staff_client, model_name):
    make_article(categories=[make_category()])
    assert staff_client.get(reverse(f"admin:articles_{model_name}_changelist")).status_code == 200
    assert staff_client.get(reverse(f"admin:articles_{model_name}_add")).status_code == 200


@pytest.mark.django_db
def test_change_pages_load(staff_client):
    category = make_category()
    article = make_article(categories=[category])
    make_faq(article)
    make_reference(article)
    link_related(article, make_article())
    for obj in (article, category, article.author):
        assert staff_client.get(change_url(obj)).status_code == 200


@pytest.mark.django_db
def test_article_form_uses_markdownx_editor_for_body_and_faq_answers(staff_client):
    response = staff_client.get(ADD)
    html = response.content.decode()
    assert 'name="body"' in html
    assert html.count('class="markdownx"') >= 2  # the body and the blank FAQ row
    assert 'data-markdownx-urls-path="/markdownx/markdownify/"' in html
    assert "markdownx/js/markdownx" in html


@pytest.mark.django_db
def test_admin_refuses_non_staff(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader", password="pw"))
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# View on site and query budget -----------------------------------------------


@pytest.mark.django_db
def test_view_on_site_previews_drafts_for_staff(staff_client, client):
    draft = make_article(status=Article.Status.DRAFT)
    shortcut = reverse(
        "admin:view_on_site", args=[ContentType.objects.get_for_model(Article).pk, draft.pk]
    )
    assert shortcut in staff_client.get(change_url(draft)).content.decode()
    response = staff_client.get(shortcut)
    assert response.status_code == 302
    assert response["Location"].endswith(draft.get_absolute_url())
    assert staff_client.get(draft.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_changelist_query_count_does_not_grow_with_articles(
    staff_client, django_assert_num_queries
):
    category = make_category()
    make_article(categories=[category])
    staff_client.get(CHANGELIST)  # warm up the session and content types
    with CaptureQueriesContext(connection) as one_article:
        assert staff_client.get(CHANGELIST).status_code == 200
    one_article_queries = len(one_article.captured_queries)
    for _ in range(29):
        make_article(categories=[category])
    staff_client.get(CHANGELIST)  # stores the new articles' check results
    with django_assert_num_queries(one_article_queries):
        response = staff_client.get(CHANGELIST)
    assert len(response.context["cl"].result_list) == 30
