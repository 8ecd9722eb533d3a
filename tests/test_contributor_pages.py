"""Contributor pages: who wrote and checked an article, linked from bylines and stamps."""

import datetime
import json

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article
from tests.article_pages import jsonld_blocks
from tests.factories import make_article, make_category, make_contributor
from tests.public_site import png_upload

pytestmark = pytest.mark.django_db

SITE = "https://mh.example.com"
# contributor + (count + page + categories) for each of the two lists
CONTRIBUTOR_QUERIES = 7


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.ARTICLES_PER_PAGE = 3
    settings.PAGE_CACHE_SECONDS = 0


def url(contributor) -> str:
    return f"/contributors/{contributor.slug}/"


def test_page_shows_name_credentials_photo_bio_and_both_lists(client):
    person = make_contributor(
        name="Dr. Rowan Example",
        slug="rowan-example",
        credentials="PhD, clinical psychologist",
        bio="Works with adults living with anxiety.",
        photo=png_upload("rowan.png"),
    )
    make_article(title="Written by Rowan", author=person)
    make_article(title="Reviewed by Rowan", reviewer=person)

    response = client.get("/contributors/rowan-example/")

    assertContains(response, '<h1 id="contributor-name">Dr. Rowan Example</h1>', html=True)
    assertContains(response, "PhD, clinical psychologist")
    assertContains(response, "Works with adults living with anxiety.")
    assertContains(response, 'alt="Photo of Dr. Rowan Example"')
    assertContains(response, "Articles by Dr. Rowan Example")
    assertContains(response, "Written by Rowan")
    assertContains(response, "Articles medically reviewed by Dr. Rowan Example")
    assertContains(response, "Reviewed by Rowan")
    assertContains(response, f'<link rel="canonical" href="{SITE}/contributors/rowan-example/">')


def test_lists_hold_only_published_work(client):
    person = make_contributor()
    make_article(title="Public piece", author=person)
    make_article(title="Draft piece", author=person, status=Article.Status.DRAFT)
    make_article(title="Draft reviewed", reviewer=person, status=Article.Status.IN_REVIEW)
    make_article(
        title="Scheduled piece",
        author=person,
        published_at=timezone.now() + datetime.timedelta(days=2),
    )

    response = client.get(url(person))

    assertContains(response, "Public piece")
    for hidden in ("Draft piece", "Draft reviewed", "Scheduled piece"):
        assertNotContains(response, hidden)
    assertNotContains(response, "Articles medically reviewed by")


def test_a_review_voided_by_later_changes_is_not_listed(client):
    person = make_contributor()
    make_article(title="Still covered", reviewer=person)
    make_article(title="Changed since", reviewer=person, changed_since_review=True)

    response = client.get(url(person))

    assertContains(response, "Still covered")
    assertNotContains(response, "Changed since")


def test_only_a_voided_review_means_no_public_page(client):
    person = make_contributor()
    make_article(reviewer=person, changed_since_review=True)
    assert client.get(url(person)).status_code == 404


def test_each_list_pages_on_its_own_and_bad_pages_are_404(client):
    person = make_contributor()
    for n in range(4):
        make_article(title=f"Written {n}", author=person)
        make_article(title=f"Checked {n}", reviewer=person)

    first = client.get(url(person))
    assertContains(first, '<a href="?written=2" rel="next">Next page</a>', html=True)
    assertContains(first, '<a href="?reviewed=2" rel="next">Next page</a>', html=True)
    second = client.get(url(person) + "?written=2")
    assert second.content.decode().count('<article class="card">') == 1 + 3
    for bad in ("abc", "0", "3", "1.5", "%00"):
        assert client.get(url(person) + f"?written={bad}").status_code == 404
        assert client.get(url(person) + f"?reviewed={bad}").status_code == 404


def test_query_count_is_the_same_for_1_and_30_articles(client, django_assert_num_queries):
    person = make_contributor()
    categories = [make_category(), make_category()]
    make_article(author=person, categories=categories)
    make_article(reviewer=person, categories=categories)
    with django_assert_num_queries(CONTRIBUTOR_QUERIES):
        assert client.get(url(person)).status_code == 200

    for _ in range(29):
        make_article(author=person, categories=[make_category(), *categories])
        make_article(reviewer=person, categories=categories)
    with django_assert_num_queries(CONTRIBUTOR_QUERIES):
        assert client.get(url(person)).status_code == 200
    with django_assert_num_queries(CONTRIBUTOR_QUERIES):
        assert client.get(url(person) + "?written=5&reviewed=10").status_code == 200


def test_byline_and_review_stamp_link_to_the_contributor_pages(client):
    author = make_contributor(name="Sam Writer", slug="sam-writer")
    reviewer = make_contributor(name="Dr. Ada Example", slug="ada-example")
    article = make_article(author=author, reviewer=reviewer)

    response = client.get(article.get_absolute_url())

    assertContains(response, '<a class="byline__author" href="/contributors/sam-writer/">')
    assertContains(response, '<a class="review-stamp__reviewer" href="/contributors/ada-example/">')
    for target in ("/contributors/sam-writer/", "/contributors/ada-example/"):
        assert client.get(target).status_code == 200


def test_article_cards_link_the_author(client):
    author = make_contributor(name="Sam Writer", slug="sam-writer")
    make_article(author=author)
    assertContains(client.get("/articles/"), '<a href="/contributors/sam-writer/">Sam Writer</a>')


def test_json_ld_people_have_url_and_job_title(client):
    reviewer = make_contributor(name="Dr. Ada Example", slug="ada", credentials="MD, psychiatrist")
    article = make_article(reviewer=reviewer)

    (page,) = [
        b for b in jsonld_blocks(client.get(article.get_absolute_url())) if "reviewedBy" in b
    ]
    assert page["reviewedBy"]["url"] == f"{SITE}/contributors/ada/"
    assert page["reviewedBy"]["jobTitle"] == "MD, psychiatrist"
    assert page["author"]["url"] == f"{SITE}{article.author.get_absolute_url()}"

    (profile,) = jsonld_blocks(client.get("/contributors/ada/"))
    assert profile["@type"] == "ProfilePage"
    assert profile["mainEntity"]["@type"] == "Person"
    assert profile["mainEntity"]["url"] == f"{SITE}/contributors/ada/"
    assert profile["mainEntity"]["jobTitle"] == "MD, psychiatrist"
    json.dumps(profile)  # plain JSON, no model objects


def test_sitemap_lists_contributors_with_published_work_only(client):
    public = make_contributor(slug="public-person")
    make_article(author=public)
    hidden = make_contributor(slug="hidden-person")
    make_article(author=hidden, status=Article.Status.DRAFT)

    sitemap = client.get("/sitemap.xml").content.decode()

    assert f"{SITE}/contributors/public-person/" in sitemap
    assert "hidden-person" not in sitemap
