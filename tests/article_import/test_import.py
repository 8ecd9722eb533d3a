"""import_articles: creating, updating by slug and linking related articles."""

import datetime

import pytest
import reversion.models
from django.core.files.storage import default_storage

from articles.models import FAQ, Article, Category, Contributor, Reference
from tests.article_import.helpers import media_files, png_bytes, run_import, write


@pytest.mark.django_db
def test_import_creates_article_with_contributors_categories_faqs_references_and_images(
    article_dir,
):
    out, err, status = run_import(article_dir)
    assert status == 0, err
    article = Article.objects.get(slug="coping-with-panic")
    assert article.title == "Coping with panic attacks"
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == datetime.datetime(2025, 1, 15, 9, 30, tzinfo=datetime.UTC)
    assert (article.last_reviewed, article.next_review_due) == (
        datetime.date(2025, 6, 2),
        datetime.date(2026, 1, 10),
    )
    assert (article.author.name, article.author.credentials) == (
        "Dr. Example Rivera",
        "MD, psychiatrist",
    )
    assert article.author.slug == "dr-example-rivera"
    assert (article.reviewer.name, article.reviewer.credentials) == ("Sam Placeholder", "LCSW")
    assert sorted(article.categories.values_list("name", flat=True)) == ["Anxiety", "Coping skills"]
    assert list(article.faqs.values_list("question", flat=True)) == [
        "Is it dangerous?",
        "Can it be treated?",
    ]
    assert "<strong>see a doctor</strong>" in article.faqs.first().answer_html
    assert list(article.references.values_list("url", flat=True)) == [
        "https://www.nimh.nih.gov/health/topics/panic-disorder",
        "",
    ]
    assert [link.target.slug for link in article.related_links.all()] == ["later-article"]
    # The hero and the body image are copied into media, the body links to the copy.
    assert article.image.name == "articles/hero.png"
    assert default_storage.open("articles/hero.png").read() == png_bytes()
    assert '![A calm diagram](/media/markdownx/diagram.png "Diagram")' in article.body
    assert default_storage.open("markdownx/diagram.png").read() == png_bytes((10, 200, 10))
    assert 'src="/media/markdownx/diagram.png"' in article.body_html
    assert "created" in out


@pytest.mark.django_db
def test_reimport_updates_by_slug_and_replaces_faqs_references_and_related(article_dir):
    run_import(article_dir)
    first = Article.objects.get(slug="coping-with-panic")
    write(
        article_dir / "panic.md",
        """
        ---
        title: Coping with panic attacks (updated)
        slug: coping-with-panic
        author: Dr. Example Rivera
        categories: [Anxiety]
        references:
          - title: Only one reference now.
        ---
        New body.

        ## FAQs

        ### A new question?

        A new answer.
        """,
    )
    out, err, status = run_import(article_dir)
    assert status == 0, err
    assert Article.objects.count() == 2
    article = Article.objects.get(slug="coping-with-panic")
    assert article.pk == first.pk
    assert article.title == "Coping with panic attacks (updated)"
    assert article.body == "New body."
    assert article.status == Article.Status.DRAFT  # the file is the whole article
    assert article.reviewer is None and not article.image
    assert list(article.faqs.values_list("question", flat=True)) == ["A new question?"]
    assert list(article.references.values_list("citation", flat=True)) == [
        "Only one reference now."
    ]
    assert not article.related_links.exists()
    assert list(article.categories.values_list("name", flat=True)) == ["Anxiety"]
    assert FAQ.objects.count() == 1 and Reference.objects.count() == 1
    assert Contributor.objects.count() == 2 and Category.objects.count() == 2
    assert "updated" in out


@pytest.mark.django_db
def test_reimporting_an_unchanged_file_writes_nothing(article_dir):
    run_import(article_dir)
    article = Article.objects.get(slug="coping-with-panic")
    versions = reversion.models.Version.objects.get_for_object(article).count()
    before = dict(Article.objects.values_list("slug", "modified_at"))
    files_before = media_files()
    out, err, status = run_import(article_dir)
    assert status == 0, err
    assert dict(Article.objects.values_list("slug", "modified_at")) == before
    assert media_files() == files_before
    assert [line.split()[0] for line in out.splitlines()[:2]] == ["unchanged", "unchanged"]
    # The import is in the article's history (django-reversion); the no-op adds nothing.
    assert versions >= 1
    assert reversion.models.Version.objects.get_for_object(article).count() == versions


@pytest.mark.django_db
def test_related_articles_later_in_the_batch_are_linked_in_file_order(tmp_path):
    write(tmp_path / "a.md", "---\ntitle: A\nrelated: [c, b]\n---\nBody.\n")
    write(tmp_path / "b.md", "---\ntitle: B\n---\nBody.\n")
    write(tmp_path / "c.md", "---\ntitle: C\n---\nBody.\n")
    _, err, status = run_import(tmp_path)
    assert status == 0, err
    article = Article.objects.get(slug="a")
    assert [link.target.slug for link in article.related_links.all()] == ["c", "b"]


@pytest.mark.django_db
def test_missing_related_article_is_a_warning_not_an_error(tmp_path):
    write(tmp_path / "a.md", "---\ntitle: A\nrelated: [nowhere, b]\n---\nBody.\n")
    write(tmp_path / "b.md", "---\ntitle: B\n---\nBody.\n")
    _, err, status = run_import(tmp_path)
    assert status == 0
    assert "a.md" in err and "related article 'nowhere' not found" in err
    assert [link.target.slug for link in Article.objects.get(slug="a").related_links.all()] == ["b"]
