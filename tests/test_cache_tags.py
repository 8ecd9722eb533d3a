"""The tagged page cache invalidates exactly the pages a write touches, and the
safety net catches writes no signal announces."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test import Client

from articles.models import Article, Contributor
from tests.factories import link_related, make_article, make_category, make_faq
from tests.therapist_factories import make_term, make_therapist

pytestmark = pytest.mark.django_db


def state(client, url) -> str:
    return client.get(url).get("X-Page-Cache", "none")


def warm(client, *urls) -> None:
    for url in urls:
        client.get(url)
        assert state(client, url) == "hit", url


@pytest.fixture
def site():
    sleep = make_category(name="Sleep")
    a = make_article(title="Sleeping well", categories=[sleep])
    b = make_article(title="Breathing slowly")
    c = make_article(title="Calm mornings")
    link_related(c, a)  # c's page links a
    therapist = make_therapist(name="Avery Listed", specialties=[make_term("specialty", "Grief")])
    return {"a": a, "b": b, "c": c, "sleep": sleep, "therapist": therapist}


def test_article_edit_invalidates_its_pages_and_lists_only(client, site):
    a, b, c, therapist = site["a"], site["b"], site["c"], site["therapist"]
    urls = {
        "a": a.get_absolute_url(),
        "b": b.get_absolute_url(),
        "c": c.get_absolute_url(),
        "list": "/articles/",
        "home": "/",
        "category": site["sleep"].get_absolute_url(),
        "feed": "/feed/",
        "sitemap": "/sitemap.xml",
        "therapist": therapist.get_absolute_url(),
        "finder": "/therapists/",
    }
    warm(client, *urls.values())
    a.title = "Sleeping well again"
    a.save()
    stale = {name for name, url in urls.items() if state(client, url) == "miss"}
    assert stale == {"a", "c", "list", "home", "category", "feed", "sitemap"}


def test_listing_change_leaves_article_pages_cached(client, site):
    therapist = site["therapist"]
    article_urls = [site[k].get_absolute_url() for k in "abc"] + ["/articles/", "/"]
    warm(client, *article_urls, therapist.get_absolute_url(), "/therapists/")
    therapist.availability_confirmed_on = None
    therapist.name = "Avery Renamed"
    therapist.save()
    assert all(state(client, url) == "hit" for url in article_urls)
    assert state(client, therapist.get_absolute_url()) == "miss"
    assert state(client, "/therapists/") == "miss"


def test_listing_vocabulary_membership_leaves_article_pages_cached(client, site):
    therapist = site["therapist"]
    portuguese = make_term("language", "Portuguese")
    warm(client, site["a"].get_absolute_url(), therapist.get_absolute_url())
    therapist.languages.add(portuguese)
    assert state(client, site["a"].get_absolute_url()) == "hit"
    assert "Portuguese" in client.get(therapist.get_absolute_url()).content.decode()


def test_faq_change_invalidates_only_its_article(client, site):
    a, b = site["a"], site["b"]
    warm(client, a.get_absolute_url(), b.get_absolute_url(), site["c"].get_absolute_url())
    make_faq(b, question="Is a nap useful?")
    assert "Is a nap useful?" in client.get(b.get_absolute_url()).content.decode()
    assert state(client, a.get_absolute_url()) == "hit"
    assert state(client, site["c"].get_absolute_url()) == "hit"


def test_contributor_edit_leaves_other_authors_pages_cached(client, site):
    a, b = site["a"], site["b"]
    warm(client, a.get_absolute_url(), b.get_absolute_url())
    author = Contributor.objects.get(pk=a.author_id)
    author.name = "Dr. Renamed Example"
    author.save()
    assert "Dr. Renamed Example" in client.get(a.get_absolute_url()).content.decode()
    assert state(client, b.get_absolute_url()) == "hit"


def test_deleting_an_article_refreshes_pages_linking_it(client, site):
    a, c = site["a"], site["c"]
    warm(client, c.get_absolute_url(), site["b"].get_absolute_url())
    a.delete()
    assert "Sleeping well" not in client.get(c.get_absolute_url()).content.decode()
    assert state(client, site["b"].get_absolute_url()) == "hit"


def test_bulk_update_falls_back_to_the_apps_pages(client, site):
    urls = [site[k].get_absolute_url() for k in "abc"]
    warm(client, *urls, site["therapist"].get_absolute_url())
    Article.objects.filter(pk=site["b"].pk).update(title="Renamed in bulk")
    assert all(state(client, url) == "miss" for url in urls)
    assert state(client, site["therapist"].get_absolute_url()) == "hit"


def test_raw_sql_write_falls_back_to_the_apps_pages(client, site):
    url = site["b"].get_absolute_url()
    warm(client, url)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE articles_article SET title = %s WHERE id = %s", ["Raw title", site["b"].pk]
        )
    assert "Raw title" in client.get(url).content.decode()


def test_failed_save_does_not_leave_a_table_announced(client, site):
    """A save that fails before its SQL must not hide the next bulk write."""
    a, b = site["a"], site["b"]
    a.published_at = "not a date"
    with pytest.raises(ValidationError), transaction.atomic():
        a.save()
    url = b.get_absolute_url()
    warm(client, url)
    Article.objects.filter(pk=b.pk).update(title="Renamed after a failed save")
    assert "Renamed after a failed save" in client.get(url).content.decode()


def test_category_membership_reaches_category_page_not_other_articles(client, site):
    other = make_category(name="Anxiety")
    make_article(title="Already in the category", categories=[other])  # public: not a 404
    b = site["b"]
    warm(client, other.get_absolute_url(), site["a"].get_absolute_url())
    b.categories.add(other)
    assert "Breathing slowly" in client.get(other.get_absolute_url()).content.decode()
    assert state(client, site["a"].get_absolute_url()) == "hit"


def test_specialty_mapping_change_reaches_article_finder_links(client, site):
    a = site["a"]
    specialty = make_term("specialty", "Insomnia", slug="insomnia")
    warm(client, a.get_absolute_url())
    specialty.article_categories.add(site["sleep"])
    assert "specialty=insomnia" in client.get(a.get_absolute_url()).content.decode()


def test_response_names_its_tags_for_the_edge(site):
    response = Client().get(site["a"].get_absolute_url())
    keys = response["Surrogate-Key"].split()
    assert f"articles.article:{site['a'].pk}" in keys
    assert "all" in keys
    assert response["Cache-Tag"].split(",") == keys


def test_pages_are_cached_again_once_a_scheduled_moment_has_passed(client):
    import datetime
    from unittest import mock

    from django.utils import timezone

    make_article(title="Already out")
    make_article(
        title="Scheduled piece", published_at=timezone.now() + datetime.timedelta(minutes=5)
    )
    assert "Scheduled piece" not in client.get("/articles/").content.decode()
    later = timezone.now() + datetime.timedelta(minutes=6)
    with mock.patch("django.utils.timezone.now", lambda: later):
        assert "Scheduled piece" in client.get("/articles/").content.decode()
        assert state(client, "/articles/") == "hit"


def test_profile_reached_from_a_search_keeps_its_back_link_and_is_never_stored(client, site):
    url = site["therapist"].get_absolute_url()
    response = client.get(url, {"from": "specialty=grief&q=avery"})
    assert "specialty=grief" in response.content.decode()
    assert response.get("X-Page-Cache", "none") != "hit"
    again = client.get(url, {"from": "specialty=grief&q=avery"})
    assert again.get("X-Page-Cache", "none") != "hit"
    # The plain profile is still cached, and never shows another reader's search.
    warm(client, url)
    assert "specialty=grief" not in client.get(url).content.decode()


def test_contributor_page_shows_their_newly_published_article(client, site):
    author = site["a"].author
    url = author.get_absolute_url()
    warm(client, url)
    make_article(title="A brand new piece", author=author)
    assert "A brand new piece" in client.get(url).content.decode()
