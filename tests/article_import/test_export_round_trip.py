"""export_articles, and importing its output back."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from articles.models import Article, Category, Contributor
from tests.article_import.helpers import png_bytes, run_import
from tests.factories import (
    link_related,
    make_article,
    make_category,
    make_contributor,
    make_faq,
    make_reference,
)


def snapshot(article: Article) -> dict:
    """Every field the file format carries, in comparable form."""
    return {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "body": article.body,
        "body_html": article.body_html,
        "status": article.status,
        "author": (article.author.name, article.author.credentials) if article.author else None,
        "reviewer": (
            (article.reviewer.name, article.reviewer.credentials) if article.reviewer else None
        ),
        "assigned_reviewer": (
            article.assigned_reviewer.name if article.assigned_reviewer else None
        ),
        "published_at": article.published_at,
        "expires_at": article.expires_at,
        "last_reviewed": article.last_reviewed,
        "next_review_due": article.next_review_due,
        "image": article.image.name,
        "image_bytes": article.image.read() if article.image else None,
        "image_alt": article.image_alt,
        "image_credit": article.image_credit,
        "image_credit_url": article.image_credit_url,
        "categories": sorted(article.categories.values_list("name", flat=True)),
        "related": [link.target.slug for link in article.related_links.all()],
        "references": list(article.references.values_list("citation", "url")),
        "faqs": list(article.faqs.values_list("question", "answer")),
    }


@pytest.mark.django_db
def test_export_then_import_into_an_empty_database_reproduces_every_field(tmp_path, settings):
    anxiety, sleep = make_category(name="Anxiety"), make_category(name="Sleep & rest")
    author = make_contributor(name="Dr. Example Rivera", credentials="MD, psychiatrist")
    reviewer = make_contributor(name="Sam Placeholder", credentials="")
    next_reviewer = make_contributor(name="Dr. Next Reviewer", credentials="MD")
    default_storage.save("markdownx/inline.png", ContentFile(png_bytes((1, 2, 3))))
    main = make_article(
        slug="main",
        title="Main: a 'quoted' title #1",
        summary="Two lines\nof summary.",
        body="Intro.\n\n![Inline](/media/markdownx/inline.png)\n\n## Section\n\n### Sub\n\nText.",
        author=author,
        reviewer=reviewer,
        assigned_reviewer=next_reviewer,
        categories=[anxiety, sleep],
        published_at=datetime.datetime(2025, 3, 4, 5, 6, 7, 891011, tzinfo=datetime.UTC),
        expires_at=datetime.datetime(2030, 1, 1, 12, tzinfo=datetime.UTC),
        last_reviewed=datetime.date(2025, 3, 1),
        next_review_due=datetime.date(2025, 9, 1),
        image_alt="Hero alt.",
        image_credit="Credit line",
        image_credit_url="https://example.com/credit",
    )
    main.image.save("hero.png", ContentFile(png_bytes()), save=True)
    # Bodies as the admin saves them: its form strips surrounding whitespace,
    # which the file format does not keep.
    draft = make_article(
        slug="draft-one",
        status=Article.Status.DRAFT,
        body="Draft body.",
        author=None,
        reviewer=None,
        last_reviewed=None,
    )
    archived = make_article(
        slug="archived-one", status=Article.Status.ARCHIVED, body="Old.", author=author
    )
    in_review = make_article(slug="in-review-one", status=Article.Status.IN_REVIEW, body="")
    for order, target in enumerate([in_review, draft, archived]):
        link_related(main, target, order=order)
    make_faq(main, question="First?", answer="**Bold** answer.\n\nSecond paragraph.", order=0)
    make_faq(
        main,
        question="Second?",
        answer="- a list\n- of items\n\n![Same picture](/media/markdownx/inline.png)",
        order=1,
    )
    make_reference(main, citation="Ref two", url="", order=1)
    make_reference(main, citation="Ref one", url="https://example.com/one", order=0)
    before = {article.slug: snapshot(article) for article in Article.objects.all()}

    export_dir = tmp_path / "export"
    out = io.StringIO()
    call_command("export_articles", str(export_dir), stdout=out)
    assert "Exported 4 article(s) and 2 image(s)" in out.getvalue()
    assert sorted(p.name for p in export_dir.glob("*.md")) == [
        "archived-one.md",
        "draft-one.md",
        "in-review-one.md",
        "main.md",
    ]

    # An empty database and an empty media folder.
    Article.objects.all().delete()
    Contributor.objects.all().delete()
    Category.objects.all().delete()
    settings.MEDIA_ROOT = tmp_path / "fresh-media"

    _, err, status = run_import(export_dir)
    assert status == 0, err
    after = {article.slug: snapshot(article) for article in Article.objects.all()}
    assert after.keys() == before.keys()
    for slug in before:
        for name, value in before[slug].items():
            assert after[slug][name] == value, f"{slug}.{name}"


@pytest.mark.django_db
def test_export_leaves_other_origin_images_alone_and_warns_about_missing_media(tmp_path):
    make_article(
        slug="a", body="![x](https://example.com/x.png)\n\n![y](/media/markdownx/gone.png)"
    )
    err = io.StringIO()
    call_command("export_articles", str(tmp_path), stdout=io.StringIO(), stderr=err)
    text = (tmp_path / "a.md").read_text()
    assert "![x](https://example.com/x.png)" in text and "/media/markdownx/gone.png" in text
    assert "markdownx/gone.png' is missing from media" in err.getvalue()
