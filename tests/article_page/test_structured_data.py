"""The article page's structured data (JSON-LD) and social meta tags."""

import datetime

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from tests.article_pages import JSONLD_RE, SITE, jsonld_blocks, meta_content, reviewed_article
from tests.factories import make_article, make_contributor, make_faq

pytestmark = pytest.mark.django_db


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
