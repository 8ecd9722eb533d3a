"""History that loses nothing: versions, diffs, revert, edit conflicts, recoverable deletes."""

import pytest
from reversion.models import Version

from articles.models import Article, Review
from articles.reviews import record_review
from tests.admin_forms import add_rows, admin_form_data
from tests.factories import make_article, make_contributor, make_faq
from tests.review_factories import make_role_user

pytestmark = pytest.mark.django_db


def _change(article):
    return f"/admin/articles/article/{article.pk}/change/"


def _save(client, article, **changes):
    data = admin_form_data(client.get(_change(article)))
    data.update(changes)
    response = client.post(_change(article), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return data


@pytest.fixture
def editor_client(client):
    client.force_login(make_role_user("Editor"))
    return client


def _draft():
    article = make_article(status=Article.Status.DRAFT, body="First body.", slug="draft")
    make_faq(article, question="Is it common?", answer="Yes, very.")
    return article


def test_every_admin_save_keeps_a_version_with_faqs_and_who_and_when(editor_client):
    article = _draft()
    _save(editor_client, article, body="Second body.")
    _save(editor_client, article, body="Third body.")
    versions = Version.objects.get_for_object(article)
    assert versions.count() == 2
    latest = versions.first()
    assert latest.field_dict["body"] == "Third body."
    assert latest.revision.user.username == "editor"
    reprs = [version.object_repr for version in latest.revision.version_set.all()]
    assert reprs.count("Is it common?") == 1
    history = editor_client.get(f"/admin/articles/article/{article.pk}/history/")
    assert history.status_code == 200
    page = history.content.decode()
    assert "editor" in page and "Compare the chosen versions" in page


def test_compare_shows_a_readable_escaped_diff_of_any_two_versions(editor_client):
    article = _draft()
    _save(editor_client, article, body="Calm words.\n\nSecond paragraph.")
    _save(editor_client, article, body="Calm words.\n\n<script>alert(1)</script> paragraph.")
    _save(editor_client, article, **{"faqs-0-answer": "Yes, and treatable."})
    newest, _middle, oldest = Version.objects.get_for_object(article)[:3]
    response = editor_client.get(
        f"/admin/articles/article/{article.pk}/history/compare/",
        {"a": oldest.pk, "b": newest.pk},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; paragraph." in page
    assert "<script>alert(1)</script>" not in page
    assert [d.label for d in response.context["diffs"]] == ["Body", "FAQs"]
    assert "Second paragraph." in page and "treatable" in page


def test_compare_with_bad_version_ids_is_a_message_not_a_crash(editor_client):
    article = _draft()
    _save(editor_client, article, body="Second body.")
    other = make_article(slug="other", status=Article.Status.DRAFT)
    _save(editor_client, other, body="Other body.")
    url = f"/admin/articles/article/{article.pk}/history/compare/"
    foreign = Version.objects.get_for_object(other).first().pk
    for params in ({}, {"a": "x", "b": "1"}, {"a": foreign, "b": foreign}):
        response = editor_client.get(url, params)
        assert response.status_code == 302


def test_revert_restores_the_text_and_the_faqs(editor_client):
    article = _draft()
    _save(editor_client, article, body="Good text.")
    _save(editor_client, article, body="Bad text.", **{"faqs-0-answer": "Wrong answer."})
    assert article.faqs.get().answer == "Wrong answer."
    good = Version.objects.get_for_object(article).last()
    url = f"/admin/articles/article/{article.pk}/history/{good.pk}/"
    revert_form = editor_client.get(url)
    assert revert_form.status_code == 200
    response = editor_client.post(url, admin_form_data(revert_form))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body == "Good text."
    assert article.faqs.get().answer == "Yes, very."


def test_second_editor_saving_a_stale_form_is_refused_and_keeps_their_text(client):
    first, second = make_role_user("Editor", "first"), make_role_user("Editor", "second")
    article = _draft()
    client.force_login(first)
    stale = admin_form_data(client.get(_change(article)))  # first opens the page
    client.force_login(second)
    _save(client, article, body="Second editor's text.")  # second saves meanwhile
    client.force_login(first)
    stale["body"] = "First editor's careful rewrite."
    response = client.post(_change(article), stale)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "after you opened it" in " ".join(form.non_field_errors())
    assert "by second" in " ".join(form.non_field_errors())
    assert "First editor&#x27;s careful rewrite." in response.content.decode()
    article.refresh_from_db()
    assert article.body == "Second editor's text."
    # Having seen the conflict, saving again from the re-rendered page goes through.
    assert form["body"].value() == "First editor's careful rewrite."
    again = {**stale, "edit_token_seen": form["edit_token_seen"].value()}
    assert client.post(_change(article), again).status_code == 302
    article.refresh_from_db()
    assert article.body == "First editor's careful rewrite."


def test_a_stale_form_also_loses_no_inline_text(client):
    first, second = make_role_user("Editor", "first"), make_role_user("Editor", "second")
    article = _draft()
    client.force_login(first)
    stale = admin_form_data(client.get(_change(article)))
    add_rows(stale, "faqs", [{"question": "A new question?", "answer": "A new answer."}])
    client.force_login(second)
    _save(client, article, title="Retitled")
    client.force_login(first)
    response = client.post(_change(article), stale)
    assert response.status_code == 200
    assert "A new answer." in response.content.decode()
    assert article.faqs.count() == 1


def test_deleted_article_is_recoverable_with_its_faqs_and_reviews(editor_client):
    article = _draft()
    record_review(article, reviewer=make_contributor(), notes="All good.")
    pk = article.pk
    response = editor_client.post(f"/admin/articles/article/{pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk=pk).exists()
    deleted = Version.objects.get_deleted(Article)
    assert [v.object_id for v in deleted] == [str(pk)]
    recover_list = editor_client.get("/admin/articles/article/recover/")
    assert recover_list.status_code == 200
    url = f"/admin/articles/article/recover/{deleted[0].pk}/"
    response = editor_client.post(url, admin_form_data(editor_client.get(url)))
    assert response.status_code == 302
    restored = Article.objects.get(pk=pk)
    assert restored.faqs.get().question == "Is it common?"
    assert Review.objects.get(article=restored).notes == "All good."
