"""The article page's content: review stamp, byline, images, contents, FAQs, related articles."""

import datetime
import re

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article
from tests.article_pages import meta_content, page_text, reviewed_article
from tests.factories import (
    link_related,
    make_article,
    make_category,
    make_contributor,
    make_faq,
    make_reference,
)

pytestmark = pytest.mark.django_db


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
