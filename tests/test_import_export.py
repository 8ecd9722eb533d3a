"""import_articles / export_articles and the file format behind them."""

import datetime
import io
import textwrap
from pathlib import Path

import pytest
import reversion.models
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image

from articles.frontmatter import FormatError, parse_article, split_faqs
from articles.models import FAQ, Article, Category, Contributor, Reference, Review
from tests.factories import (
    link_related,
    make_article,
    make_category,
    make_contributor,
    make_faq,
    make_reference,
)


def png_bytes(color=(90, 140, 200), size=(8, 6)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def run_import(*paths) -> tuple[str, str, int]:
    """(stdout, stderr, exit status) of import_articles."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_articles", *map(str, paths), stdout=out, stderr=err)
    except CommandError as exc:
        err.write(str(exc))
        return out.getvalue(), err.getvalue(), 1
    return out.getvalue(), err.getvalue(), 0


def media_files() -> set[str]:
    root = Path(default_storage.location)
    return (
        {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}
        if root.exists()
        else set()
    )


FULL_ARTICLE = """
    ---
    title: Coping with panic attacks
    slug: coping-with-panic
    summary: What a panic attack is and what helps.
    status: published
    author: Dr. Example Rivera
    author_credentials: MD, psychiatrist
    reviewer: Sam Placeholder
    reviewer_credentials: LCSW
    categories: [Anxiety, Coping skills]
    published: 2025-01-15T09:30:00+00:00
    last_reviewed: 2025-06-02
    next_review_due: 2026-01-10
    image: images/hero.png
    image_alt: Blue shapes.
    image_credit: Demo illustration
    image_credit_url: https://example.com/art
    related: [later-article]
    references:
      - title: National Institute of Mental Health. Panic Disorder.
        url: https://www.nimh.nih.gov/health/topics/panic-disorder
      - title: A reference without a link.
    ---
    Intro paragraph.

    ![A calm diagram](images/diagram.png "Diagram")

    ## What happens

    Text.

    ### In the body

    More text.

    ## Frequently Asked Questions

    ### Is it dangerous?

    Usually not, but **see a doctor** the first time.

    ### Can it be treated?

    Yes.

    Several options exist.
"""


# The format.


@pytest.mark.parametrize(
    "heading",
    [
        "## FAQs",
        "## faqs",
        "## Frequently asked questions",
        "## FREQUENTLY ASKED QUESTIONS",
        "## FAQs ##",
    ],
)
def test_faq_heading_is_recognised_in_any_case(heading):
    body, faqs = split_faqs(
        f"Intro.\n\n## Section\n\nText.\n\n{heading}\n\n### Q1?\n\nA1.\n\n### Q2?\n\nA2\n\nmore\n"
    )
    assert body == "Intro.\n\n## Section\n\nText."
    assert [(faq.question, faq.answer) for faq in faqs] == [("Q1?", "A1."), ("Q2?", "A2\n\nmore")]


def test_faq_headings_inside_code_fences_are_body_text():
    text = "Intro.\n\n```\n## FAQs\n### not a question\n```\n\n## FAQs\n\n### Real?\n\nYes.\n"
    body, faqs = split_faqs(text)
    assert "### not a question" in body
    assert [faq.question for faq in faqs] == ["Real?"]


def test_article_without_faq_section_keeps_all_body_and_no_faqs():
    body, faqs = split_faqs("Intro.\n\n## FAQ-like title\n\n### Sub\n\nText.\n")
    assert faqs == []
    assert body.endswith("Text.")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("## FAQs\n\nStray text.\n\n### Q?\n\nA.", "would be lost"),
        ("## FAQs\n\n### Q?\n\nA.\n\n## Later section\n\nText.", "only ### questions"),
        ("## FAQs\n\n### Q?\n\n### Q2?\n\nA.", "has no answer"),
    ],
)
def test_faq_section_that_would_lose_text_is_an_error(text, reason):
    with pytest.raises(FormatError, match=reason):
        split_faqs(text)


def test_parse_reads_every_front_matter_key():
    document = parse_article(textwrap.dedent(FULL_ARTICLE).lstrip())
    assert document.title == "Coping with panic attacks"
    assert document.slug == "coping-with-panic"
    assert document.status == "published"
    assert document.author_credentials == "MD, psychiatrist"
    assert document.categories == ["Anxiety", "Coping skills"]
    assert document.published == datetime.datetime(2025, 1, 15, 9, 30, tzinfo=datetime.UTC)
    assert document.last_reviewed == datetime.date(2025, 6, 2)
    assert document.related == ["later-article"]
    assert [(r.title, r.url) for r in document.references][1] == ("A reference without a link.", "")
    assert [faq.question for faq in document.faqs] == ["Is it dangerous?", "Can it be treated?"]
    assert "## Frequently" not in document.body


def test_slug_defaults_to_slugified_title_and_status_to_draft():
    document = parse_article("---\ntitle: Sleep & Mood!\n---\nBody.\n")
    assert (document.slug, document.status, document.body) == ("sleep-mood", "draft", "Body.")


# Importing.


@pytest.fixture
def article_dir(tmp_path):
    folder = tmp_path / "articles"
    (folder / "images").mkdir(parents=True)
    (folder / "images" / "hero.png").write_bytes(png_bytes())
    (folder / "images" / "diagram.png").write_bytes(png_bytes((10, 200, 10)))
    write(folder / "panic.md", FULL_ARTICLE)
    write(folder / "later.md", "---\ntitle: Later article\nslug: later-article\n---\nBody.\n")
    return folder


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


BAD_FILES = {
    "bad yaml": ("---\ntitle: [unclosed\n---\nBody.\n", "invalid YAML"),
    "no front matter": ("Just Markdown.\n", "does not start with a '---'"),
    "missing title": ("---\nsummary: No title here.\n---\nBody.\n", "title is required"),
    "unknown status": ("---\ntitle: T\nstatus: live\n---\nBody.\n", "unknown status 'live'"),
    "invalid date": (
        "---\ntitle: T\nlast_reviewed: 2025-02-30\n---\n",
        "last_reviewed: '2025-02-30'",
    ),
    "not iso date": ("---\ntitle: T\npublished: 15/01/2025\n---\n", "published: '15/01/2025'"),
    "review due before review": (
        "---\ntitle: T\nlast_reviewed: 2025-05-01\nnext_review_due: 2025-01-01\n---\n",
        "next_review_due is before last_reviewed",
    ),
    "missing image": (
        "---\ntitle: T\nimage: nope.png\nimage_alt: A.\n---\n",
        "'nope.png' not found",
    ),
    "undecodable image": (
        "---\ntitle: T\nimage: fake.png\nimage_alt: A.\n---\n",
        "not a readable image",
    ),
    "image without alt": ("---\ntitle: T\nimage: good.png\n---\n", "image_alt is missing"),
    "image outside folder": (
        "---\ntitle: T\nimage: ../outside.png\nimage_alt: A.\n---\n",
        "outside the Markdown file's folder",
    ),
    "missing body image": (
        "---\ntitle: T\n---\n![Alt](gone.png)\n",
        "body image 'gone.png' not found",
    ),
    "image url": (
        "---\ntitle: T\nimage: https://example.com/a.png\nimage_alt: A.\n---\n",
        "must be a path relative to the Markdown file",
    ),
    "invalid slug": ("---\ntitle: T\nslug: not a slug!\n---\n", "slug 'not a slug!' is not valid"),
    "unknown key": ("---\ntitle: T\nsumary: typo\n---\n", "unknown front matter key(s): sumary"),
    "bad reference url": (
        "---\ntitle: T\nreferences:\n  - title: R\n    url: javascript:alert(1)\n---\n",
        "not a valid http(s) URL",
    ),
    "title too long": ("---\ntitle: " + "x" * 201 + "\nslug: t\n---\n", "title:"),
    "not utf-8": (b"---\ntitle: caf\xe9\n---\n", "not UTF-8"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_is_reported_with_its_reason_changes_nothing_and_others_still_import(
    tmp_path, case
):
    content, reason = BAD_FILES[case]
    folder = tmp_path / "batch"
    folder.mkdir()
    (tmp_path / "outside.png").write_bytes(png_bytes())
    (folder / "good.png").write_bytes(png_bytes())
    (folder / "fake.png").write_bytes(b"<html>not an image</html>")
    write(folder / "1-good.md", "---\ntitle: Good\nimage: good.png\nimage_alt: Fine.\n---\nBody.\n")
    # The bad file targets an existing article: it must be left exactly as it was.
    # (Titled "T", it has the slug "t".)
    existing = make_article(slug="t", title="Untouched", body="Original.")
    bad = folder / "2-bad.md"
    if isinstance(content, bytes):
        bad.write_bytes(content)
    else:
        bad.write_text(content)

    out, err, status = run_import(folder)

    assert status == 1
    assert "2-bad.md" in err and reason in err
    assert Article.objects.filter(slug="good").exists()
    unchanged = Article.objects.get(pk=existing.pk)
    assert (unchanged.title, unchanged.body, unchanged.modified_at) == (
        "Untouched",
        "Original.",
        existing.modified_at,
    )
    assert Article.objects.count() == 2
    assert media_files() == {"articles/good.png"}


@pytest.mark.django_db
def test_failure_after_images_are_copied_removes_the_copies(tmp_path, monkeypatch):
    (tmp_path / "hero.png").write_bytes(png_bytes())
    write(
        tmp_path / "a.md",
        "---\ntitle: A\nimage: hero.png\nimage_alt: Alt.\n---\nBody.\n\n## FAQs\n\n### Q?\n\nA.\n",
    )

    def broken_save(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(FAQ, "save", broken_save)
    _, err, status = run_import(tmp_path / "a.md")
    assert status == 1 and "a.md" in err and "database went away" in err
    assert not Article.objects.exists() and not Contributor.objects.exists()
    assert media_files() == set()


@pytest.mark.django_db
def test_missing_path_is_reported(tmp_path):
    _, err, status = run_import(tmp_path / "nope.md")
    assert status == 1 and "nope.md: no such file or folder" in err


# Exporting, and the round trip.


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


@pytest.mark.django_db
def test_same_slug_twice_in_a_batch_and_body_image_without_alt_are_warnings(tmp_path):
    (tmp_path / "pic.png").write_bytes(png_bytes())
    write(tmp_path / "a.md", "---\ntitle: First\nslug: same\n---\n![](pic.png)\n")
    write(tmp_path / "b.md", "---\ntitle: Second\nslug: same\n---\nBody.\n")
    _, err, status = run_import(tmp_path)
    assert status == 0
    assert "a.md: body image 'pic.png' has no alt text" in err
    assert "b.md: slug 'same' was also imported from" in err
    assert Article.objects.get().title == "Second"


@pytest.mark.django_db
def test_image_that_is_not_jpeg_png_gif_or_webp_is_refused(tmp_path):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="BMP")
    (tmp_path / "pic.png").write_bytes(buffer.getvalue())
    write(tmp_path / "a.md", "---\ntitle: A\nimage: pic.png\nimage_alt: Alt.\n---\n")
    _, err, status = run_import(tmp_path)
    assert status == 1 and "is not a readable image" in err
    assert "not a JPEG, PNG, GIF or WebP image" in err
    assert not Article.objects.exists() and media_files() == set()


@pytest.mark.django_db
def test_image_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("articles.importing.images.MAX_IMAGE_BYTES", 10)
    (tmp_path / "pic.png").write_bytes(png_bytes())
    write(tmp_path / "a.md", "---\ntitle: A\nimage: pic.png\nimage_alt: Alt.\n---\n")
    _, err, status = run_import(tmp_path)
    assert status == 1 and "'pic.png' is larger than" in err
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_imported_images_are_re_encoded_dropping_bytes_after_the_image(tmp_path):
    smuggled = b"<script>alert(1)</script>"
    (tmp_path / "pic.png").write_bytes(png_bytes() + smuggled)
    (tmp_path / "body.png").write_bytes(png_bytes((1, 2, 3)) + smuggled)
    write(
        tmp_path / "a.md",
        "---\ntitle: A\nimage: pic.png\nimage_alt: Alt.\n---\n![Body](body.png)\n",
    )
    _, err, status = run_import(tmp_path)
    assert status == 0, err
    article = Article.objects.get()
    for name in (article.image.name, "markdownx/body.png"):
        with default_storage.open(name) as stored:
            data = stored.read()
        assert smuggled not in data
        with Image.open(io.BytesIO(data)) as image:
            assert (image.format, image.size) == ("PNG", (8, 6))


@pytest.mark.django_db
def test_import_records_the_review_behind_the_stamp_once(article_dir):
    run_import(article_dir)
    article = Article.objects.get(slug="coping-with-panic")
    review = Review.objects.get(article=article)
    assert (review.reviewer, review.reviewed_on) == (article.reviewer, datetime.date(2025, 6, 2))
    assert review.vouches_for_article and review.notes == "Imported from panic.md"
    # The stamp is restored as the file gives it, not recomputed from the review.
    assert article.next_review_due == datetime.date(2026, 1, 10)
    run_import(article_dir)
    assert Review.objects.count() == 1
    # A file without a review date or reviewer has no review to record.
    assert not Review.objects.filter(article__slug="later-article").exists()


@pytest.mark.django_db
def test_import_sets_the_assigned_reviewer_apart_from_the_stamps_reviewer(tmp_path):
    write(
        tmp_path / "a.md",
        "---\ntitle: A\nreviewer: Dr. Did Last\nassigned_reviewer: Dr. Does Next\n"
        "last_reviewed: 2025-01-02\n---\nBody.\n",
    )
    _, err, status = run_import(tmp_path)
    assert status == 0, err
    article = Article.objects.get()
    assert article.reviewer.name == "Dr. Did Last"
    assert article.assigned_reviewer.name == "Dr. Does Next"
