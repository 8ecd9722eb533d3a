"""The search documents and vocabulary follow every change to articles and FAQs."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from articles.models import Article
from articles.search.models import SearchDocument, SearchWord
from tests.factories import make_article, make_faq
from tests.search.helpers import found

pytestmark = pytest.mark.django_db


def test_saving_an_article_updates_its_document(client):
    article = make_article(title="First title", body="Alpha text.")
    assert found(client, "alpha") == ["First title"]
    article.body = "Beta text."
    article.save()
    assert found(client, "alpha") == []
    assert found(client, "beta") == ["First title"]


def test_faq_changes_are_searchable_at_once(client):
    article = make_article(title="With FAQ", body="Plain.")
    faq = make_faq(article, question="Is kombucha safe?", answer="Ask a pharmacist.")
    assert found(client, "kombucha") == ["With FAQ"]
    assert found(client, "pharmacist") == ["With FAQ"]
    faq.question = "Is tea safe?"
    faq.save()
    assert found(client, "kombucha") == []
    faq.delete()
    assert found(client, "pharmacist") == []


def test_vocabulary_counts_follow_edits_and_deletes():
    first = make_article(title="Zygote one", body="text")
    make_article(title="Zygote two", body="text")
    assert SearchWord.objects.get(word="zygote").document_count == 2
    first.title = "Other"
    first.save()
    assert SearchWord.objects.get(word="zygote").document_count == 1
    Article.objects.filter(title="Zygote two").delete()
    assert not SearchWord.objects.filter(word="zygote").exists()


def test_deleting_an_article_with_faqs_leaves_no_document():
    article = make_article()
    make_faq(article)
    make_faq(article)
    article.delete()
    assert not SearchDocument.objects.exists()


def test_rebuild_command_restores_a_lost_index(client):
    make_article(title="Rebuilt", body="quokka")
    SearchDocument.objects.all().delete()
    SearchWord.objects.all().delete()
    call_command("rebuild_search_index", stdout=io.StringIO())
    assert found(client, "quokka") == ["Rebuilt"]
    assert SearchWord.objects.filter(word="quokka").exists()


def test_bulk_and_raw_updates_of_the_article_reach_its_document_by_trigger(client):
    """Publishing state lives on the document too; writes that skip signals must reach it."""
    article = make_article(title="Capybara care", body="capybara")
    assert found(client, "capybara") == ["Capybara care"]
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    assert found(client, "capybara") == []
    Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED)
    assert found(client, "capybara") == ["Capybara care"]
    later = timezone.now() + datetime.timedelta(days=2)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE articles_article SET expires_at = %s, published_at = %s WHERE id = %s",
            [later + datetime.timedelta(days=1), later, article.pk],
        )
    assert found(client, "capybara") == []
    today = timezone.localdate()
    Article.objects.filter(pk=article.pk).update(
        published_at=timezone.now() - datetime.timedelta(days=1),
        expires_at=None,
        last_reviewed=today - datetime.timedelta(days=10),
        next_review_due=today + datetime.timedelta(days=300),
    )
    document = SearchDocument.objects.get(pk=article.pk)
    assert (document.expires_at, document.last_reviewed, document.next_review_due) == (
        None,
        today - datetime.timedelta(days=10),
        today + datetime.timedelta(days=300),
    )
    assert found(client, "capybara") == ["Capybara care"]
