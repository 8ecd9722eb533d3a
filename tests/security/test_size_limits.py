"""Issue 9, finding 1: size limits on Markdown, enforced by the models and the admin.

The render budget is only meaningful with a limit on what is rendered: an
article body, an FAQ answer and a therapist bio each have one, checked by
model validation (so every form, import and full_clean obeys it) with a
message that says how far over the text is.
"""

import pytest
from django.core.exceptions import ValidationError

from articles.models import FAQ, Article
from mhsite.markdown import ARTICLE_BODY_MAX_CHARS, BIO_MAX_CHARS, FAQ_ANSWER_MAX_CHARS
from tests.admin_forms import admin_form_data, change_url
from tests.factories import make_article
from tests.therapist_factories import make_therapist

pytestmark = pytest.mark.django_db


def test_article_body_at_the_limit_is_valid_and_one_more_character_is_not():
    article = make_article(status=Article.Status.DRAFT)
    article.body = "a" * ARTICLE_BODY_MAX_CHARS
    article.full_clean()
    article.body += "a"
    with pytest.raises(ValidationError) as caught:
        article.full_clean()
    message = " ".join(caught.value.message_dict["body"])
    assert f"{ARTICLE_BODY_MAX_CHARS + 1:,} characters long" in message
    assert f"the limit is {ARTICLE_BODY_MAX_CHARS:,}" in message
    assert "Shorten it by 1 characters" in message


def test_faq_answer_over_the_limit_is_invalid():
    faq = FAQ(article=make_article(), question="Why?", answer="a" * (FAQ_ANSWER_MAX_CHARS + 1))
    with pytest.raises(ValidationError) as caught:
        faq.full_clean()
    assert "answer" in caught.value.message_dict


def test_therapist_bio_over_the_limit_is_invalid():
    therapist = make_therapist()
    therapist.bio = "a" * (BIO_MAX_CHARS + 1)
    with pytest.raises(ValidationError) as caught:
        therapist.full_clean()
    assert list(caught.value.message_dict) == ["bio"]


def test_admin_save_of_an_oversized_body_keeps_the_text_and_explains(staff_client):
    article = make_article(body="Original body.")
    data = admin_form_data(staff_client.get(change_url(article)))
    data["body"] = "Too long. " * (ARTICLE_BODY_MAX_CHARS // 10 + 1)
    response = staff_client.post(change_url(article), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["body"]
    assert response.context["adminform"].form["body"].value() == data["body"]
    assert Article.objects.get(pk=article.pk).body == "Original body."
