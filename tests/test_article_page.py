"""The public article page: review stamp, structured data, preview and query budget."""

import datetime
import html
import json
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone
from django.utils.html import strip_tags
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article
from tests.factories import (
    link_related,
    make_article,
    make_category,
    make_contributor,
    make_faq,
    make_reference,
)

pytestmark = pytest.mark.django_db

SITE = "https://mh.example.com"
# A reader's page: the public article with its stored parts (articles/page_parts.py).
ARTICLE_PAGE_QUERIES = 1
# The first reader's page renders and stores them: the article with its parts
# row, creating that row, the article with its contributors, its categories,
# FAQs, references and related links (with their targets), the next scheduled
# publication and expiry, and the store (savepoint, row lock, update, release).
ARTICLE_PAGE_BUILD_QUERIES = 13

JSONLD_RE = re.compile(
    r'<script type="application/ld\+json" nonce="([^"]+)">(.*?)</script>', re.DOTALL
)


@pytest.fixture
def anonymous_client():
    # A client of its own: the staff_client fixture logs in the shared ``client``.
    return Client()


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    # Measure the views themselves, not the anonymous page cache in front of them.
    settings.PAGE_CACHE_SECONDS = 0


def page_text(response) -> str:
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def without_nonces(response) -> bytes:
    return re.sub(rb'nonce="[^"]*"', b'nonce=""', response.content)


def jsonld_blocks(response) -> list[dict]:
    return [json.loads(body) for _nonce, body in JSONLD_RE.findall(response.content.decode())]


def meta_content(response, attribute: str, name: str) -> str:
    match = re.search(
        rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', response.content.decode()
    )
    assert match, f"no <meta {attribute}={name!r}>"
    return html.unescape(match.group(1))


def reviewed_article(**fields) -> Article:
    today = timezone.localdate()
    fields.setdefault("reviewer", make_contributor(name="Dr. Ada Example", credentials="MD"))
    fields.setdefault("author", make_contributor(name="Sam Writer", credentials=""))
    fields.setdefault("last_reviewed", today - datetime.timedelta(days=20))
    fields.setdefault("next_review_due", today + datetime.timedelta(days=200))
    return make_article(**fields)


# --- Content -----------------------------------------------------------------


def test_review_stamp_names_reviewer_with_credentials_and_dates(client):
    article = reviewed_article(
        reviewer=make_contributor(name="Dr. Ada Example", credentials="MD, psychiatrist"),
        last_reviewed=datetime.date(2026, 3, 4),
        next_review_due=datetime.date(2027, 3, 4),
    )
    response = client.get(article.get_absolute_url())

    assert (
        "Medically reviewed by Dr. Ada Example, MD, psychiatrist · "
        "Last reviewed March 4, 2026 · Next review due March 4, 2027"
    ) in page_text(response)
    assertContains(response, '<time datetime="2026-03-04">March 4, 2026</time>', html=True)
    assertContains(response, '<time datetime="2027-03-04">March 4, 2027</time>', html=True)


def test_overdue_notice_shown_only_when_overdue_beyond_the_grace_period(client, settings):
    settings.REVIEW_OVERDUE_GRACE_DAYS = 14
    today = timezone.localdate()
    overdue = reviewed_article(
        last_reviewed=today - datetime.timedelta(days=400),
        next_review_due=today - datetime.timedelta(days=15),
    )
    within_grace = reviewed_article(
        last_reviewed=today - datetime.timedelta(days=400),
        next_review_due=today - datetime.timedelta(days=14),
    )
    due_today = reviewed_article(
        last_reviewed=today - datetime.timedelta(days=365), next_review_due=today
    )
    current = reviewed_article()

    assertContains(client.get(overdue.get_absolute_url()), "due for its regular medical review")
    for article in (within_grace, due_today, current):
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        assertNotContains(response, "due for its regular medical review")
        assertNotContains(response, "review-notice")


def test_never_reviewed_article_says_so_instead_of_a_stamp(client):
    article = make_article(last_reviewed=None, reviewer=None)
    response = client.get(article.get_absolute_url())
    assertContains(response, "has not been medically reviewed yet")
    assertNotContains(response, "Medically reviewed by")


def test_article_page_shows_title_byline_summary_and_meta_description(client):
    article = reviewed_article(
        title="Living with worry",
        summary="How worry works & what helps.",
        author=make_contributor(name="Sam Writer", credentials="LCSW"),
    )
    response = client.get(article.get_absolute_url())

    assertContains(response, '<h1 id="article-title">Living with worry</h1>', html=True)
    assert "By Sam Writer, LCSW" in page_text(response)
    assert meta_content(response, "name", "description") == "How worry works & what helps."
    assertContains(response, "<title>Living with worry · mhsite</title>", html=True)


def test_hero_image_has_alt_text_and_linked_credit(client):
    article = reviewed_article(
        image="articles/lake.jpg",
        image_alt="A calm lake at dawn",
        image_credit="Jane Example",
        image_credit_url="https://example.com/jane",
    )
    response = client.get(article.get_absolute_url())
    assertContains(response, '<img src="/media/articles/lake.jpg" alt="A calm lake at dawn">')
    assertContains(
        response,
        '<figcaption class="hero__credit">Image: '
        '<a href="https://example.com/jane" rel="noopener">Jane Example</a></figcaption>',
        html=True,
    )


def test_image_credit_without_url_is_plain_text(client):
    article = reviewed_article(
        image="articles/lake.jpg", image_alt="A lake", image_credit="Jane Example"
    )
    response = client.get(article.get_absolute_url())
    assertContains(
        response,
        '<figcaption class="hero__credit">Image: Jane Example</figcaption>',
        html=True,
    )


def test_table_of_contents_nests_subsections_and_headings_get_anchor_links(client):
    article = reviewed_article(
        body=(
            "Intro.\n\n## Sleep & mood\n\nText.\n\n### Small steps\n\nMore.\n\n"
            "## Getting help\n\nEnd."
        )
    )
    response = client.get(article.get_absolute_url())
    content = response.content.decode()

    toc = re.search(r'<nav class="toc".*?</nav>', content, re.DOTALL).group(0)
    assertContains(
        response,
        '<ol><li><a href="#sleep-mood">Sleep &amp; mood</a>'
        '<ol><li><a href="#small-steps">Small steps</a></li></ol></li>'
        '<li><a href="#getting-help">Getting help</a></li></ol>',
        html=True,
    )
    # Every TOC entry points at a heading that exists, with its own "#" link.
    for anchor in re.findall(r'href="#([^"]+)"', toc):
        assert f'id="{anchor}"' in content
        assert f'<a class="heading-anchor" href="#{anchor}"' in content
    assert 'aria-label="Link to this section">#</a></h2>' in content
    assert 'aria-label="Link to this section">#</a></h3>' in content


def test_article_without_sections_has_no_table_of_contents(client):
    article = reviewed_article(body="Just one paragraph.")
    response = client.get(article.get_absolute_url())
    assertNotContains(response, 'class="toc"')


def test_faqs_references_categories_cta_and_crisis_note(client, settings):
    settings.CRISIS_SUPPORT_TEXT = "Configured crisis text."
    settings.CRISIS_SUPPORT_URL = "https://example.com/crisis"
    category = make_category(name="Anxiety", slug="anxiety")
    article = reviewed_article(categories=[category])
    make_faq(article, question="Is worry normal?", answer="Yes, **often**.", order=1)
    make_reference(article, citation="Example A. A study.", url="https://example.com/a", order=1)
    make_reference(article, citation="Example B. A book.", url="", order=2)

    response = client.get(article.get_absolute_url())

    assertContains(
        response,
        '<details class="faq"><summary>Is worry normal?</summary>'
        '<div class="prose"><p>Yes, <strong>often</strong>.</p></div></details>',
        html=True,
    )
    assertContains(
        response,
        '<ol><li><a href="https://example.com/a" rel="noopener">Example A. A study.</a></li>'
        "<li>Example B. A book.</li></ol>",
        html=True,
    )
    assertContains(response, '<a href="/categories/anxiety/">Anxiety</a>', html=True)
    assertContains(
        response, '<a class="button" href="/therapists/">Find a therapist</a>', html=True
    )
    assertContains(response, "Configured crisis text.")
    assertContains(response, 'href="https://example.com/crisis"')
    # Shown once, inside the page rather than repeated in the footer.
    assert response.content.decode().count("Configured crisis text.") == 1


def test_related_articles_show_only_published_ones_in_editor_order(client):
    article = reviewed_article()
    first = make_article(title="Related first")
    second = make_article(title="Related second")
    hidden = make_article(title="Related draft", status=Article.Status.DRAFT)
    link_related(article, second, order=2)
    link_related(article, hidden, order=1)
    link_related(article, first, order=0)

    response = client.get(article.get_absolute_url())
    content = response.content.decode()

    assertContains(response, "Additional posts")
    assert content.index("Related first") < content.index("Related second")
    assertNotContains(response, "Related draft")


def test_no_related_section_when_no_related_article_is_published(client):
    article = reviewed_article()
    link_related(article, make_article(status=Article.Status.ARCHIVED))
    assertNotContains(client.get(article.get_absolute_url()), "Additional posts")


# --- Structured data and social meta ------------------------------------------------


def test_jsonld_medical_web_page_fields(client):
    article = reviewed_article(
        title="Panic attacks",
        summary="What a panic attack is.",
        reviewer=make_contributor(name="Dr. Ada Example", credentials="MD, psychiatrist"),
        author=make_contributor(name="Sam Writer", credentials=""),
        last_reviewed=datetime.date(2026, 3, 4),
        next_review_due=datetime.date(2027, 3, 4),
        image="articles/calm.jpg",
        image_alt="Calm water",
    )
    article.refresh_from_db()
    response = client.get(article.get_absolute_url())
    (page,) = [block for block in jsonld_blocks(response) if block["@type"] == "MedicalWebPage"]

    assert page["@context"] == "https://schema.org"
    assert page["url"] == f"{SITE}/articles/{article.slug}/"
    assert page["headline"] == "Panic attacks"
    assert page["description"] == "What a panic attack is."
    assert page["lastReviewed"] == "2026-03-04"
    assert page["reviewedBy"] == {
        "@type": "Person",
        "name": "Dr. Ada Example",
        "url": f"{SITE}{article.reviewer.get_absolute_url()}",
        "jobTitle": "MD, psychiatrist",
        "hasCredential": {
            "@type": "EducationalOccupationalCredential",
            "name": "MD, psychiatrist",
        },
    }
    assert page["author"] == {
        "@type": "Person",
        "name": "Sam Writer",
        "url": f"{SITE}{article.author.get_absolute_url()}",
    }
    published = datetime.datetime.fromisoformat(page["datePublished"])
    assert published == article.published_at.replace(microsecond=0)
    # No substantive update: modified means "as published" (tests/test_substantive_update.py).
    assert page["dateModified"] == page["datePublished"]
    assert page["image"] == f"{SITE}/media/articles/calm.jpg"
    assert page["inLanguage"] == "en-US"


def test_jsonld_faq_page_lists_questions_with_plain_text_answers(client):
    article = reviewed_article()
    make_faq(article, question="Can worry be helpful?", answer="Sometimes, **a little** & briefly.")
    make_faq(article, question="When should I get help?", answer="When it gets in the way.")

    response = client.get(article.get_absolute_url())
    (faq_page,) = [block for block in jsonld_blocks(response) if block["@type"] == "FAQPage"]

    assert faq_page["@context"] == "https://schema.org"
    assert faq_page["mainEntity"] == [
        {
            "@type": "Question",
            "name": "Can worry be helpful?",
            "acceptedAnswer": {"@type": "Answer", "text": "Sometimes, a little & briefly."},
        },
        {
            "@type": "Question",
            "name": "When should I get help?",
            "acceptedAnswer": {"@type": "Answer", "text": "When it gets in the way."},
        },
    ]


def test_no_faq_page_jsonld_without_faqs_and_no_review_fields_when_unreviewed(client):
    article = make_article(last_reviewed=None, reviewer=None)
    blocks = jsonld_blocks(client.get(article.get_absolute_url()))
    assert [block["@type"] for block in blocks] == ["MedicalWebPage"]
    assert "lastReviewed" not in blocks[0]
    assert "reviewedBy" not in blocks[0]


def test_jsonld_cannot_break_out_of_its_script_element(client):
    hostile = "</script><script>alert(1)</script><!--"
    article = reviewed_article(title=hostile, summary="Fine & dandy")
    make_faq(article, question=hostile)

    response = client.get(article.get_absolute_url())
    content = response.content.decode()

    assert "<script>alert(1)" not in content
    blocks = jsonld_blocks(response)
    assert blocks[0]["headline"] == hostile
    assert blocks[0]["description"] == "Fine & dandy"
    assert blocks[1]["mainEntity"][0]["name"] == hostile


def test_jsonld_scripts_carry_the_csp_nonce_from_the_header(client):
    article = reviewed_article()
    make_faq(article)
    response = client.get(article.get_absolute_url())

    nonces = {nonce for nonce, _body in JSONLD_RE.findall(response.content.decode())}
    assert len(nonces) == 1
    assert f"'nonce-{nonces.pop()}'" in response["Content-Security-Policy"]


def test_open_graph_twitter_and_canonical_are_absolute(client):
    article = reviewed_article(
        title="Grief", summary="On grief.", image="articles/g.jpg", image_alt="Autumn leaves"
    )
    response = client.get(article.get_absolute_url())
    url = f"{SITE}/articles/{article.slug}/"

    assertContains(response, f'<link rel="canonical" href="{url}">')
    assert meta_content(response, "property", "og:url") == url
    assert meta_content(response, "property", "og:type") == "article"
    assert meta_content(response, "property", "og:title") == "Grief"
    assert meta_content(response, "property", "og:description") == "On grief."
    assert meta_content(response, "property", "og:image") == f"{SITE}/media/articles/g.jpg"
    assert meta_content(response, "property", "og:image:alt") == "Autumn leaves"
    assert meta_content(response, "name", "twitter:card") == "summary_large_image"
    assert meta_content(response, "name", "twitter:title") == "Grief"


def test_twitter_card_is_summary_without_an_image(client):
    response = client.get(reviewed_article().get_absolute_url())
    assert meta_content(response, "name", "twitter:card") == "summary"
    assertNotContains(response, "og:image")


# --- Visibility and staff preview -----------------------------------------------


@pytest.mark.parametrize(
    "status", [Article.Status.DRAFT, Article.Status.IN_REVIEW, Article.Status.ARCHIVED]
)
def test_unpublished_article_is_404_for_public_and_preview_for_staff(
    anonymous_client, staff_client, status
):
    article = make_article(status=status, title="Not yet out")

    assert anonymous_client.get(article.get_absolute_url()).status_code == 404

    response = staff_client.get(article.get_absolute_url())
    assert response.status_code == 200
    assertContains(response, "Preview — not public.")
    assertContains(response, f"Status: {article.get_status_display()}")
    assertContains(response, '<meta name="robots" content="noindex, nofollow">')
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_scheduled_article_is_404_for_public_and_preview_for_staff(anonymous_client, staff_client):
    article = make_article(published_at=timezone.now() + datetime.timedelta(days=3))
    assert anonymous_client.get(article.get_absolute_url()).status_code == 404
    response = staff_client.get(article.get_absolute_url())
    assertContains(response, "Preview — not public.")
    assertContains(response, "scheduled for")


def test_expired_article_is_404_for_public_and_preview_for_staff(anonymous_client, staff_client):
    article = make_article(
        published_at=timezone.now() - datetime.timedelta(days=30),
        expires_at=timezone.now() - datetime.timedelta(days=1),
    )
    assert anonymous_client.get(article.get_absolute_url()).status_code == 404
    response = staff_client.get(article.get_absolute_url())
    assertContains(response, "Preview — not public.")
    assertContains(response, "expired on")


def test_non_staff_user_cannot_preview(client, django_user_model):
    user = django_user_model.objects.create_user(username="reader", password="x-for-tests")
    client.force_login(user)
    assert client.get(make_article(status="draft").get_absolute_url()).status_code == 404


def test_published_article_has_no_preview_banner_for_staff(staff_client):
    response = staff_client.get(reviewed_article().get_absolute_url())
    assert response.status_code == 200
    assertNotContains(response, "Preview — not public")
    assertNotContains(response, 'content="noindex')


def test_admin_view_on_site_opens_the_draft_preview(staff_client):
    article = make_article(status=Article.Status.DRAFT)
    content_type = ContentType.objects.get_for_model(Article)
    response = staff_client.get(f"/admin/r/{content_type.pk}/{article.pk}/", follow=True)
    assert response.redirect_chain[-1][0].endswith(article.get_absolute_url())
    assertContains(response, "Preview — not public.")


def test_unknown_slug_is_404(client):
    response = client.get("/articles/no-such-article/")
    assert response.status_code == 404
    assertContains(response, "couldn’t find that page", status_code=404)


# --- Query budget ---------------------------------------------------------------


def _article_with(count: int) -> Article:
    article = reviewed_article(categories=[make_category() for _ in range(count)])
    for n in range(count):
        make_faq(article, order=n)
        make_reference(article, order=n)
        link_related(article, make_article(), order=n)
    # An unpublished related article is filtered in the same query, not after.
    link_related(article, make_article(status=Article.Status.DRAFT), order=count)
    return article


def test_article_page_queries_do_not_grow_with_faqs_references_related_categories(
    client, django_assert_num_queries
):
    small = _article_with(1)
    large = _article_with(20)

    with django_assert_num_queries(ARTICLE_PAGE_BUILD_QUERIES):
        small_response = client.get(small.get_absolute_url())
    with django_assert_num_queries(ARTICLE_PAGE_BUILD_QUERIES):
        large_response = client.get(large.get_absolute_url())
    with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
        stored_response = client.get(large.get_absolute_url())

    assert without_nonces(stored_response) == without_nonces(large_response)
    assert small_response.status_code == large_response.status_code == 200
    assert large_response.content.decode().count('<details class="faq">') == 20
    assert large_response.content.decode().count('class="related__title"') == 20
