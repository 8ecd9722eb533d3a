"""The article form as an editor meets it: focus, the override reason, inline order, branding."""

import pytest

from articles.models import Article
from tests.admin_forms import add_rows, admin_form_data
from tests.factories import make_article, make_faq, make_reference
from tests.review_factories import make_role_user

pytestmark = pytest.mark.django_db

ADD = "/admin/articles/article/add/"


@pytest.fixture
def editor(client):
    client.force_login(make_role_user("Editor"))
    return client


def test_title_has_the_focus_and_nothing_else_asks_for_it(editor):
    article = make_article(status=Article.Status.DRAFT)
    for url in (ADD, f"/admin/articles/article/{article.pk}/change/"):
        form = editor.get(url).context["adminform"].form
        focused = [name for name, field in form.fields.items() if "autofocus" in field.widget.attrs]
        assert focused == ["title"]
        assert "autofocus" in str(form["title"])


def test_reason_to_publish_anyway_is_collapsed_right_after_status(editor):
    fieldsets = list(editor.get(ADD).context["adminform"])
    names = [fieldset.name for fieldset in fieldsets]
    assert names.index("Publish anyway") == names.index("Publishing") + 1
    override = fieldsets[names.index("Publish anyway")]
    assert "collapse" in override.classes and override.fields == ["override_reason"]
    assert "status" in fieldsets[names.index("Publishing")].fields
    assert "override_reason" not in fieldsets[0].fields


def test_new_faqs_and_references_are_numbered_after_the_existing_ones(editor):
    article = make_article(status=Article.Status.DRAFT)
    make_faq(article, question="Existing?", answer="Yes.", order=4)
    url = f"/admin/articles/article/{article.pk}/change/"
    data = admin_form_data(editor.get(url))
    add_rows(data, "faqs", [{"question": "Second?", "answer": "A."}])
    add_rows(data, "faqs", [{"question": "Third?", "answer": "B."}])
    add_rows(data, "references", [{"citation": "Example. One.", "url": ""}])
    add_rows(data, "references", [{"citation": "Example. Two.", "url": ""}])
    response = editor.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(article.faqs.values_list("question", "order")) == [
        ("Existing?", 4),
        ("Second?", 5),
        ("Third?", 6),
    ]
    assert list(article.references.values_list("order", flat=True)) == [1, 2]


def test_blank_inline_rows_show_no_order_to_type_over(editor):
    article = make_article(status=Article.Status.DRAFT)
    make_reference(article)
    response = editor.get(f"/admin/articles/article/{article.pk}/change/")
    formsets = {
        inline.formset.prefix: inline.formset
        for inline in response.context["inline_admin_formsets"]
    }
    assert formsets["faqs"].empty_form["order"].value() is None
    assert formsets["references"].extra_forms[0]["order"].value() is None


def test_admin_header_names_the_site(editor, settings):
    page = editor.get("/admin/").content.decode()
    assert f"{settings.SITE_NAME} administration" in page
    assert "Django administration" not in page
