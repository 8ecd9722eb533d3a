"""Hole 1 of issue 8: reverting to an older version obeys the publishing and review rules.

The attack: a Writer opens an older *draft* version of a published article
(``/admin/articles/article/<id>/history/<version>/``), edits the title and
posts the form. The article became a draft, its reviewer, last-reviewed date
and publish date were wiped, and the public page answered 404.
"""

import pytest
from reversion.models import Version

from articles.models import Article
from articles.reviews import record_review
from tests.admin_forms import admin_form_data
from tests.factories import make_article, make_contributor
from tests.review_factories import make_role_user

pytestmark = pytest.mark.django_db

BODY = "Intro.\n\n## Treatment\n\nThe usual starting dose is 50 mg a day.\n"


def _change(article):
    return f"/admin/articles/article/{article.pk}/change/"


def _revision(article, version):
    return f"/admin/articles/article/{article.pk}/history/{version.pk}/"


def _save(client, article, **changes):
    data = admin_form_data(client.get(_change(article)))
    data.update(changes)
    response = client.post(_change(article), data)
    assert response.status_code == 302, response.context["adminform"].form.errors


@pytest.fixture
def editor(client):
    client.force_login(make_role_user("Editor"))
    return client


@pytest.fixture
def published(editor):
    """A reviewed, published article whose oldest version is an unreviewed draft."""
    article = make_article(
        status=Article.Status.DRAFT, last_reviewed=None, reviewer=None, body=BODY, slug="calm"
    )
    _save(editor, article, title="Old draft title")
    record_review(article, reviewer=make_contributor(name="Dr. Stamp Example"))
    _save(editor, article, title="Published title", status=Article.Status.PUBLISHED)
    article.refresh_from_db()
    assert article.is_public and article.reviewer is not None
    draft_version = Version.objects.get_for_object(article).last()
    assert draft_version.field_dict["status"] == Article.Status.DRAFT
    assert draft_version.field_dict["reviewer_id"] is None
    return article, draft_version


def _stamp(article):
    article.refresh_from_db()
    return (
        article.status,
        article.reviewer_id,
        article.last_reviewed,
        article.next_review_due,
        # The form's date and time fields carry whole seconds, as on any save.
        article.published_at.replace(microsecond=0) if article.published_at else None,
    )


def test_writer_cannot_revert_a_published_article(published, editor, client):
    article, draft_version = published
    before = _stamp(article)
    # The editor's view of the old version gives the POST data the writer crafts.
    data = admin_form_data(editor.get(_revision(article, draft_version)))
    data["title"] = "Hijacked title"
    client.force_login(make_role_user("Writer"))
    response = client.post(_revision(article, draft_version), data, follow=True)
    assert "only editors can change it" in response.content.decode()
    assert client.get(_revision(article, draft_version)).status_code == 302
    assert _stamp(article) == before
    assert article.title == "Published title"
    assert client.get(article.get_absolute_url()).status_code == 200


def test_editor_revert_keeps_the_article_published_with_its_stamp(published, editor, client):
    article, draft_version = published
    before = _stamp(article)
    page = editor.get(_revision(article, draft_version))
    form = page.context["adminform"].form
    assert form["status"].value() == Article.Status.PUBLISHED
    data = admin_form_data(page)
    response = editor.post(_revision(article, draft_version), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert _stamp(article) == before
    assert article.title == "Old draft title"
    assert not article.changed_since_review
    assert client.get(article.get_absolute_url()).status_code == 200


def test_editor_revert_bringing_back_unreviewed_sensitive_text_is_refused(editor):
    article = make_article(
        status=Article.Status.DRAFT,
        last_reviewed=None,
        reviewer=None,
        body=BODY.replace("50 mg", "500 mg"),
        slug="dose",
    )
    _save(editor, article, title="Draft with the wrong dose")
    _save(editor, article, body=BODY)
    article.refresh_from_db()
    record_review(article, reviewer=make_contributor())
    _save(editor, article, status=Article.Status.PUBLISHED)
    before = _stamp(article)
    wrong_dose = Version.objects.get_for_object(article).last()
    data = admin_form_data(editor.get(_revision(article, wrong_dose)))
    response = editor.post(_revision(article, wrong_dose), data)
    assert response.status_code == 200
    assert "needs a new full review" in response.content.decode()
    assert _stamp(article) == before
    assert "500 mg" not in article.body


def test_editor_may_revert_a_published_article_to_a_draft_deliberately(published, editor):
    article, draft_version = published
    reviewer, reviewed = article.reviewer_id, article.last_reviewed
    data = admin_form_data(editor.get(_revision(article, draft_version)))
    data["status"] = Article.Status.DRAFT
    assert editor.post(_revision(article, draft_version), data).status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    # Taking it down is the editor's choice; the stamp stays what was reviewed.
    assert (article.reviewer_id, article.last_reviewed) == (reviewer, reviewed)
