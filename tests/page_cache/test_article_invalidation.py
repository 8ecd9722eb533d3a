"""Every change to articles and what they show reaches cached pages at once."""

import datetime
import time

import pytest
from django.utils import timezone

from articles.models import FAQ, Category, Contributor, Reference, RelatedArticle
from tests.factories import link_related, make_article, make_category, make_faq, make_reference
from tests.page_cache.helpers import assert_cached_then_shows, get

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url_of",
    [
        lambda a: "/",
        lambda a: "/articles/",
        lambda a: a.categories.get().get_absolute_url(),
        lambda a: a.get_absolute_url(),
    ],
    ids=["home", "index", "category", "article"],
)
def test_article_title_edit_shows_at_once_on_every_cached_page(client, article, url_of):
    url = url_of(article)

    def change():
        article.title = "Sleeping well, revised"
        article.save()

    assert_cached_then_shows(client, url, change, "Sleeping well, revised")


def test_unpublishing_removes_the_article_at_once(client, article):
    url = article.get_absolute_url()
    get(client, url)
    assert get(client, url)["X-Page-Cache"] == "hit"
    article.status = "draft"
    article.save()
    assert get(client, url).status_code == 404
    assert "Sleeping well" not in get(client, "/articles/").content.decode()


def test_article_delete_shows_at_once(client, article):
    get(client, "/articles/")
    assert get(client, "/articles/")["X-Page-Cache"] == "hit"
    article.delete()
    assert "Sleeping well" not in get(client, "/articles/").content.decode()


def test_faq_create_edit_and_delete_show_at_once(client, article):
    url = article.get_absolute_url()
    assert_cached_then_shows(
        client, url, lambda: make_faq(article, question="Is napping useful?"), "Is napping useful?"
    )
    faq = FAQ.objects.get(question="Is napping useful?")

    def edit():
        faq.question = "How long should a nap be?"
        faq.save()

    assert_cached_then_shows(client, url, edit, "How long should a nap be?")
    get(client, url)
    faq.delete()
    assert "How long should a nap be?" not in get(client, url).content.decode()


def test_reference_edit_shows_at_once(client, article):
    reference = make_reference(article, citation="Example, A. Sleep study one.")
    url = article.get_absolute_url()

    def edit():
        Reference.objects.filter(pk=reference.pk).get().delete()
        make_reference(article, citation="Example, B. Sleep study two.")

    assert_cached_then_shows(client, url, edit, "Example, B. Sleep study two.")


def test_related_link_add_shows_at_once(client, article):
    target = make_article(title="Winding down in the evening")
    url = article.get_absolute_url()
    assert_cached_then_shows(
        client, url, lambda: link_related(article, target), "Winding down in the evening"
    )
    RelatedArticle.objects.all().delete()  # bulk delete still sends post_delete per row
    assert "Winding down in the evening" not in get(client, url).content.decode()


def test_category_rename_shows_at_once(client, article):
    category = Category.objects.get(name="Sleep")

    def rename():
        category.name = "Sleep and rest"
        category.save()

    assert_cached_then_shows(client, article.get_absolute_url(), rename, "Sleep and rest")


def test_category_membership_change_shows_at_once(client, article):
    other = make_category(name="Anxiety")
    # A topic with no published article is a 404, so give it one first.
    make_article(title="Already in the topic", categories=[other])
    assert_cached_then_shows(
        client, other.get_absolute_url(), lambda: article.categories.add(other), "Sleeping well"
    )
    get(client, other.get_absolute_url())
    article.categories.remove(other)
    assert "Sleeping well" not in get(client, other.get_absolute_url()).content.decode()


def test_contributor_edit_shows_at_once(client, article):
    author = Contributor.objects.get(pk=article.author_id)

    def edit():
        author.name = "Dr. Renamed Example"
        author.save()

    assert_cached_then_shows(client, article.get_absolute_url(), edit, "Dr. Renamed Example")


def test_scheduled_article_appears_when_its_time_comes(client):
    make_article(title="Already out")
    make_article(
        title="Scheduled piece",
        published_at=timezone.now() + datetime.timedelta(seconds=1.5),
    )
    assert "Scheduled piece" not in get(client, "/articles/").content.decode()
    assert get(client, "/articles/")["X-Page-Cache"] == "hit"
    time.sleep(1.6)
    assert "Scheduled piece" in get(client, "/articles/").content.decode()


def test_bulk_update_without_model_signals_still_shows_at_once(client, article):
    from articles.models import Article

    assert_cached_then_shows(
        client,
        article.get_absolute_url(),
        lambda: Article.objects.filter(pk=article.pk).update(title="Renamed in bulk"),
        "Renamed in bulk",
    )


def test_recording_a_medical_review_shows_at_once(client, article):
    from articles.reviews import record_review
    from tests.factories import make_contributor

    reviewer = make_contributor(name="Dr. New Reviewer", credentials="MD, psychiatrist")
    assert_cached_then_shows(
        client,
        article.get_absolute_url(),
        lambda: record_review(article, reviewer=reviewer),
        "Dr. New Reviewer",
    )


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ('UPDATE "articles_article" SET "title" = %s', True),
        ('INSERT INTO "articles_article_categories" ("article_id") VALUES (%s)', True),
        ('INSERT OR IGNORE INTO "articles_article_categories" ("article_id") VALUES (%s)', True),
        ('DELETE FROM "therapists_therapist_specialties" WHERE 1', True),
        ('  update "therapists_specialty" set "name" = %s', True),
        ('INSERT INTO "therapists_outdatedinforeport" ("details") VALUES (%s)', False),
        ('INSERT INTO "articles_reminderlog" ("recipient") VALUES (%s)', False),
        ('INSERT INTO "django_session" ("session_key") VALUES (%s)', False),
        ('SELECT "articles_article"."id" FROM "articles_article"', False),
    ],
)
def test_content_writes_are_recognised_from_their_sql(sql, expected):
    from mhsite.signals import changes_content

    assert changes_content(sql) is expected


def test_a_readers_report_does_not_flush_the_cache(client):
    from mhsite.pagecache import current_generation
    from tests.therapist_factories import make_report, make_therapist

    therapist = make_therapist()
    before = current_generation()
    make_report(therapist)
    assert current_generation() == before
