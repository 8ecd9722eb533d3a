"""The anonymous page cache: served from cache, invalidated by every content change,
never for editors, and CDN/conditional-GET headers on public pages."""

import datetime
import re
import time

import pytest
from django.http import HttpResponse
from django.template import engines
from django.test import Client, override_settings
from django.urls import path
from django.utils import timezone

from articles.models import FAQ, Category, Contributor, Reference, RelatedArticle
from tests.factories import (
    link_related,
    make_article,
    make_category,
    make_faq,
    make_reference,
)

pytestmark = pytest.mark.django_db


def get(client, url, **headers):
    return client.get(url, headers=headers)


def assert_cached_then_shows(client, url: str, change, expected: str) -> None:
    """The page is served from cache, ``change()`` runs, the next request shows ``expected``."""
    get(client, url)
    second = get(client, url)
    assert second["X-Page-Cache"] == "hit"
    assert expected not in second.content.decode()
    change()
    after = get(client, url)
    assert after.status_code == 200
    assert expected in after.content.decode(), f"{url} still stale after the change"
    assert after["X-Page-Cache"] == "miss"


@pytest.fixture
def article():
    category = make_category(name="Sleep")
    return make_article(title="Sleeping well", categories=[category])


def test_anonymous_article_page_is_stored_then_served_from_the_cache(client, article):
    first = get(client, article.get_absolute_url())
    second = get(client, article.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content.decode().count("Sleeping well") >= 1


def test_cache_hit_makes_no_database_queries(client, article, django_assert_num_queries):
    get(client, article.get_absolute_url())
    with django_assert_num_queries(0):
        response = get(client, article.get_absolute_url())
    assert response["X-Page-Cache"] == "hit"


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


def test_staff_never_get_or_fill_the_cache(staff_client, article):
    client = Client()  # the `client` fixture is the one staff_client logs in
    draft = make_article(title="Unfinished draft", status="draft")
    preview = staff_client.get(draft.get_absolute_url())
    assert preview.status_code == 200
    assert "X-Page-Cache" not in preview
    assert "no-store" in preview["Cache-Control"] and "private" in preview["Cache-Control"]
    # Nothing the staff member saw reaches anonymous readers.
    assert get(client, draft.get_absolute_url()).status_code == 404
    staff_client.get(article.get_absolute_url())
    assert get(client, article.get_absolute_url())["X-Page-Cache"] == "miss"


def test_anonymous_public_page_has_cdn_cache_control(client, article, settings):
    response = get(client, article.get_absolute_url())
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert "public" in directives
    assert "max-age=0" in directives
    assert f"s-maxage={settings.PAGE_CACHE_CDN_SECONDS}" in directives
    assert any(d.startswith("stale-while-revalidate=") for d in directives)


def test_admin_is_never_cached(staff_client):
    response = staff_client.get("/admin/")
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("cached_first", [False, True], ids=["fresh", "from-cache"])
def test_etag_revalidation_answers_304(client, article, cached_first):
    url = article.get_absolute_url()
    first = get(client, url)
    if cached_first:
        first = get(client, url)
        assert first["X-Page-Cache"] == "hit"
    etag = first["ETag"]
    not_modified = get(client, url, if_none_match=etag)
    assert not_modified.status_code == 304
    assert not_modified.content == b""


def test_etag_is_stable_across_requests_despite_the_per_request_nonce(client, article):
    url = article.get_absolute_url()
    first, second = get(client, url), get(client, url)
    nonce = re.compile(r'nonce="([^"]+)"')
    assert nonce.search(first.content.decode()).group(1) != nonce.search(
        second.content.decode()
    ).group(1)
    assert first["ETag"] == second["ETag"]


def test_if_modified_since_answers_304_and_a_change_answers_200(client, article):
    url = article.get_absolute_url()
    first = get(client, url)
    assert first.has_header("Last-Modified")
    assert get(client, url, if_modified_since=first["Last-Modified"]).status_code == 304
    assert get(client, url, if_none_match=first["ETag"]).status_code == 304
    article.title = "Sleeping well, second edition"
    article.save()
    changed = get(client, url, if_none_match=first["ETag"])
    assert changed.status_code == 200
    assert "second edition" in changed.content.decode()


def test_cached_page_nonce_matches_this_responses_csp_header(client, article):
    url = article.get_absolute_url()
    get(client, url)
    hit = get(client, url)
    assert hit["X-Page-Cache"] == "hit"
    nonces = set(re.findall(r'nonce="([^"]+)"', hit.content.decode()))
    assert len(nonces) == 1
    assert f"'nonce-{nonces.pop()}'" in hit["Content-Security-Policy"]


# A page with a POST form, to prove the CSRF handling of cached pages on its own.
def _form_page(request):
    template = engines["django"].from_string(
        '<form method="post">{% csrf_token %}<button>Send</button></form>'
    )
    return HttpResponse(template.render({}, request))


def _form_post(request):
    return HttpResponse("accepted")


urlpatterns = [
    path("form/", _form_page, name="form-page"),
    path("form/post/", _form_post, name="form-post"),
]


@override_settings(ROOT_URLCONF=__name__, PAGE_CACHE_URL_NAMES={"form-page"})
def test_cached_page_with_a_form_gives_each_reader_a_working_csrf_token():
    first_reader, second_reader = (Client(enforce_csrf_checks=True) for _ in range(2))
    first_reader.get("/form/")
    page = second_reader.get("/form/")
    assert page["X-Page-Cache"] == "hit"
    # The reader gets their own cookie, and the page must not go to a shared cache.
    assert "csrftoken" in page.cookies
    assert "private" in page["Cache-Control"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    response = second_reader.post("/form/post/", {"csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == 200
    assert response.content == b"accepted"


@override_settings(ROOT_URLCONF=__name__, PAGE_CACHE_URL_NAMES={"form-page"})
def test_a_readers_token_from_a_cached_page_is_not_another_readers():
    first_reader, second_reader = (Client(enforce_csrf_checks=True) for _ in range(2))
    first_page = first_reader.get("/form/").content.decode()
    second_reader.get("/form/")
    first_token = re.search(r'value="([^"]+)"', first_page).group(1)
    # The second reader replaying the first reader's token is refused.
    assert (
        second_reader.post("/form/post/", {"csrfmiddlewaretoken": first_token}).status_code == 403
    )


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


# The therapist directory: profile and finder pages.


@pytest.fixture
def therapist():
    from tests.therapist_factories import make_term, make_therapist

    return make_therapist(name="Avery Listed", specialties=[make_term("specialty", "Grief")])


def test_therapist_profile_is_cached_with_its_report_form_working(therapist):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    url = therapist.get_absolute_url()
    first.get(url)
    page = second.get(url)
    assert page["X-Page-Cache"] == "hit"
    assert "csrftoken" in page.cookies
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    report = second.post(
        f"{url}report/",
        {
            "csrfmiddlewaretoken": token.group(1),
            "problem": "availability",
            "details": "The listed phone number no longer answers.",
        },
    )
    assert report.status_code == 302
    assert therapist.reports.count() == 1
    # The thank-you message rides in a cookie: that page is rendered for this reader alone.
    thanked = second.get(url)
    assert "X-Page-Cache" not in thanked
    assert "private" in thanked["Cache-Control"]


def test_therapist_edit_shows_at_once_on_profile_and_finder(client, therapist):
    def change():
        therapist.name = "Avery Renamed"
        therapist.save()

    assert_cached_then_shows(client, "/therapists/", change, "Avery Renamed")
    get(client, therapist.get_absolute_url())
    assert "Avery Renamed" in get(client, therapist.get_absolute_url()).content.decode()


def test_therapist_admin_bulk_action_shows_at_once(client, therapist):
    from therapists.models import Therapist

    url = therapist.get_absolute_url()
    get(client, url)
    assert get(client, url)["X-Page-Cache"] == "hit"
    Therapist.objects.filter(pk=therapist.pk).update(is_published=False)
    assert get(client, url).status_code == 404


def test_vocabulary_rename_and_membership_show_at_once(client, therapist):
    from tests.therapist_factories import make_term

    specialty = therapist.specialties.get()

    def rename():
        specialty.name = "Grief and loss"
        specialty.save()

    assert_cached_then_shows(client, therapist.get_absolute_url(), rename, "Grief and loss")
    language = make_term("language", "Portuguese")
    assert_cached_then_shows(
        client,
        therapist.get_absolute_url(),
        lambda: therapist.languages.add(language),
        "Portuguese",
    )


def test_finder_results_are_cached_per_query_string(client, therapist):
    from tests.therapist_factories import make_therapist

    make_therapist(name="Blair Other")
    everyone = get(client, "/therapists/").content.decode()
    searched = get(client, "/therapists/?q=Avery").content.decode()
    assert "Blair Other" in everyone
    assert "Blair Other" not in searched
    assert get(client, "/therapists/?q=Avery")["X-Page-Cache"] == "hit"
