"""Issue 9, finding 1: an editor whose save fails keeps their text.

Replayed: saving a body the old renderer choked on gave a 500 and the edit
was lost. Now any failure while saving (forced here) rolls the whole save
back and re-renders the form with the editor's input and a message.
"""

import pytest
from django.db import DatabaseError
from django.urls import reverse

from articles.models import FAQ, Article
from mhsite.admin_saves import FAILED_SAVE_MESSAGE
from tests.admin_forms import admin_form_data, change_url
from tests.factories import make_article, make_faq
from tests.therapist_factories import make_therapist
from therapists.models import Therapist

pytestmark = pytest.mark.django_db

NOT_SAVED = FAILED_SAVE_MESSAGE.split(":")[0]


def test_article_save_failure_keeps_body_and_faqs_and_writes_nothing(staff_client, monkeypatch):
    article = make_article(body="Original body.")
    make_faq(article, question="Old question?", answer="Old answer.")
    data = admin_form_data(staff_client.get(change_url(article)))
    data["body"] = "An hour of careful writing.\n\n## New section\n"
    data["faqs-0-answer"] = "A rewritten answer."

    def failing_save(self, *args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(FAQ, "save", failing_save)  # fails after the article row is saved
    response = staff_client.post(change_url(article), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert NOT_SAVED in html and "something went wrong on our side" in html
    assert response.context["adminform"].form["body"].value() == data["body"]
    assert "A rewritten answer." in html
    # Rolled back as a whole: not even the article row kept the new body.
    assert Article.objects.get(pk=article.pk).body == "Original body."
    assert list(article.faqs.values_list("answer", flat=True)) == ["Old answer."]


def test_article_save_failure_from_a_rule_below_the_form_shows_the_rule(staff_client, monkeypatch):
    from django.core.exceptions import ValidationError

    article = make_article(body="Original body.")
    data = admin_form_data(staff_client.get(change_url(article)))
    data["body"] = "New text."

    def refusing_save(self, *args, **kwargs):
        raise ValidationError("A rule enforced by the model refused this.")

    monkeypatch.setattr(Article, "save", refusing_save)
    response = staff_client.post(change_url(article), data)
    assert response.status_code == 200
    assert "A rule enforced by the model refused this." in response.content.decode()
    assert response.context["adminform"].form["body"].value() == "New text."


def test_therapist_save_failure_keeps_the_bio(staff_client, monkeypatch):
    therapist = make_therapist(bio="Old bio.")
    url = reverse("admin:therapists_therapist_change", args=[therapist.pk])
    data = admin_form_data(staff_client.get(url))
    data["bio"] = "A bio rewritten with care."

    def failing_save(self, *args, **kwargs):
        raise DatabaseError("connection lost")

    monkeypatch.setattr(Therapist, "save", failing_save)
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert NOT_SAVED in response.content.decode()
    assert response.context["adminform"].form["bio"].value() == "A bio rewritten with care."
    assert Therapist.objects.get(pk=therapist.pk).bio == "Old bio."


def test_a_successful_save_still_redirects(staff_client):
    article = make_article(body="Original body.")
    data = admin_form_data(staff_client.get(change_url(article)))
    data["body"] = "Saved text."
    assert staff_client.post(change_url(article), data).status_code == 302
    assert Article.objects.get(pk=article.pk).body == "Saved text."
