"""Hole 5 of issue 8: blocking content checks judge the text being saved.

They used to read the previously saved ``body_html``: a save that added an
image without alt text *and* published went live, and a save that fixed the
alt text of a published article was refused.
"""

import pytest

from articles import publishing
from articles.models import Article
from tests.admin_forms import add_rows, admin_form_data
from tests.factories import make_faq
from tests.review_factories import make_reviewed_article, make_role_user

pytestmark = pytest.mark.django_db

BODY = "Intro paragraph.\n\n## Treatment\n\nThe usual starting dose is 50 mg a day.\n"
NO_ALT = "\n\n![](/media/markdownx/chart.png)\n"
WITH_ALT = "\n\n![A bar chart of sleep hours by week](/media/markdownx/chart.png)\n"


@pytest.fixture
def editor(client):
    client.force_login(make_role_user("Editor"))
    return client


def _url(article):
    return f"/admin/articles/article/{article.pk}/change/"


def _post(client, article, **changes):
    data = admin_form_data(client.get(_url(article)))
    data.update(changes)
    return client.post(_url(article), data), data


def test_adding_an_image_without_alt_text_and_publishing_is_refused(editor):
    article = make_reviewed_article(status=Article.Status.DRAFT, body=BODY)
    response, _data = _post(editor, article, body=BODY + NO_ALT, status=Article.Status.PUBLISHED)
    assert response.status_code == 200
    assert "Missing alt text" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT and "chart.png" not in article.body


def test_adding_an_image_without_alt_text_to_a_published_article_is_refused(editor):
    article = make_reviewed_article(body=BODY)
    response, _data = _post(editor, article, body=BODY + NO_ALT)
    assert response.status_code == 200
    article.refresh_from_db()
    assert "chart.png" not in article.body and "chart.png" not in article.body_html


def test_fixing_the_alt_text_of_a_published_article_is_accepted(editor):
    article = make_reviewed_article(body=BODY + NO_ALT)
    response, _data = _post(editor, article, body=BODY + WITH_ALT)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert 'alt="A bar chart of sleep hours by week"' in article.body_html
    assert article.is_public


def test_an_empty_faq_answer_submitted_with_publishing_is_refused(editor):
    article = make_reviewed_article(status=Article.Status.DRAFT, body=BODY)
    make_faq(article, question="Is it common?", answer="Yes.")
    data = admin_form_data(editor.get(_url(article)))
    data["status"] = Article.Status.PUBLISHED
    data["faqs-0-answer"] = ""
    add_rows(data, "faqs", [{"question": "Another question?", "answer": ""}])
    response = editor.post(_url(article), data)
    assert response.status_code == 200
    assert "Empty FAQ answer" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert list(article.faqs.values_list("answer", flat=True)) == ["Yes."]


def test_the_publish_service_judges_the_body_it_is_about_to_save():
    article = make_reviewed_article(status=Article.Status.DRAFT, body=BODY)
    article.body = BODY + NO_ALT
    problems = publishing.publish(article)
    assert [problem.code for problem in problems] == ["check:missing_alt_text"]
    stored = Article.objects.get(pk=article.pk)
    assert stored.status == Article.Status.DRAFT and "chart.png" not in stored.body
