"""Import article files (see ``frontmatter.py`` for the format) into the database.

Each file is imported in its own transaction: a file with an error changes
nothing (image files it would have added are removed again) and the others
still import. Articles are matched by slug, so importing the same file twice
updates the article rather than duplicating it, and a file whose content is
already in the database writes nothing at all. Related articles are linked
in a second pass once every file is in, so a file may name articles that come
later in the same batch.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename, slugify

from mhsite.images import ImageRejected, reencode_image
from mhsite.markdown import (
    ARTICLE_BODY_MAX_CHARS,
    FAQ_ANSWER_MAX_CHARS,
    MarkdownLengthValidator,
)

from . import frontmatter
from .frontmatter import ArticleDocument, FormatError
from .models import FAQ, Article, Category, Contributor, Reference, RelatedArticle, Review

MAX_IMAGE_BYTES = 10 * 1024 * 1024
# Room for a body at its character limit in any script (up to 4 bytes a
# character in UTF-8 is rare; 2-3 is common), plus front matter and FAQs.
# Checked on the file's size before a byte of it is read.
MAX_ARTICLE_FILE_BYTES = 1024 * 1024
HERO_IMAGE_DIR = "articles"


def body_image_dir() -> str:
    # The folder django-markdownx uploads to, so imported and editor-uploaded
    # body images live together.
    return getattr(settings, "MARKDOWNX_MEDIA_PATH", "markdownx/").strip("/") or "markdownx"


class ImportFileError(ValueError):
    """One file cannot be imported; the message says why, for a person."""


@dataclass
class PreparedImage:
    """An image file decoded and re-encoded (``data``), not yet copied to media."""

    source: Path
    data: bytes
    extension: str
    folder: str
    storage_name: str = ""

    @property
    def target_name(self) -> str:
        stem = get_valid_filename(self.source.stem)[:50] or "image"
        return f"{self.folder}/{stem}.{self.extension}"


@dataclass
class FileResult:
    path: Path
    slug: str = ""
    action: str = ""  # created | updated | unchanged | skipped
    error: str = ""
    warnings: list[str] = field(default_factory=list)
    document: ArticleDocument | None = None


@dataclass
class ImportReport:
    results: list[FileResult] = field(default_factory=list)

    @property
    def failed(self) -> list[FileResult]:
        return [result for result in self.results if result.error]

    @property
    def imported(self) -> list[FileResult]:
        return [result for result in self.results if not result.error]

    def count(self, action: str) -> int:
        return sum(1 for result in self.results if result.action == action and not result.error)


def find_article_files(paths: Iterable[Path | str]) -> list[Path | tuple[Path, str]]:
    """Markdown files named directly or found (recursively) in the named folders."""
    found: list = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.md") if p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            found.append((path, "no such file or folder"))
    return found


class ArticleImporter:
    def __init__(self, *, update_existing: bool = True, storage: Storage | None = None):
        self.update_existing = update_existing
        self.storage = storage or default_storage

    def import_paths(self, paths: Iterable[Path | str]) -> ImportReport:
        report = ImportReport()
        seen_slugs: dict[str, Path] = {}
        for item in find_article_files(paths):
            if isinstance(item, tuple):
                report.results.append(FileResult(path=item[0], error=item[1]))
                continue
            result = self.import_file(item)
            report.results.append(result)
            if result.error:
                continue
            if result.slug in seen_slugs:
                result.warnings.append(
                    f"slug {result.slug!r} was also imported from {seen_slugs[result.slug]}; "
                    "this file's version is the one kept"
                )
            seen_slugs[result.slug] = item
        for result in report.imported:
            if result.action != "skipped":
                self._link_related(result)
        return report

    def import_file(self, path: Path) -> FileResult:
        result = FileResult(path=path)
        try:
            document = frontmatter.parse_article(self._read_text(path))
            result.slug = document.slug
            result.document = document
            _check_markdown_lengths(document)
            hero = self._prepare_image(path, document.image, HERO_IMAGE_DIR, "image")
            body_images = self._prepare_body_images(path, document, result)
            result.action = self._save(path, document, hero, body_images)
        except (FormatError, ImportFileError) as exc:
            result.error = str(exc)
        except ValidationError as exc:
            result.error = _validation_message(exc)
        except Exception as exc:  # noqa: BLE001 - one broken file must not stop the batch
            result.error = f"{type(exc).__name__}: {exc}"
        return result

    # Reading and checking, before anything is written.

    @staticmethod
    def _read_text(path: Path) -> str:
        try:
            size = path.stat().st_size
            if size > MAX_ARTICLE_FILE_BYTES:
                raise ImportFileError(
                    f"the file is {size:,} bytes; an article file may be at most "
                    f"{MAX_ARTICLE_FILE_BYTES:,} bytes (its body at most "
                    f"{ARTICLE_BODY_MAX_CHARS:,} characters). Split it into several articles."
                )
            return path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportFileError(f"the file is not UTF-8 text ({exc.reason})") from None
        except OSError as exc:
            raise ImportFileError(f"cannot read the file: {exc.strerror or exc}") from None

    def _prepare_image(
        self, markdown_path: Path, reference: str, folder: str, label: str
    ) -> PreparedImage | None:
        if not reference:
            return None
        if not frontmatter.is_local_path(reference):
            raise ImportFileError(
                f"{label} {reference!r} must be a path relative to the Markdown file, not a URL"
            )
        base = markdown_path.parent.resolve()
        source = (base / unquote(reference)).resolve()
        if not source.is_relative_to(base):
            raise ImportFileError(
                f"{label} {reference!r} points outside the Markdown file's folder"
            )
        if not source.is_file():
            raise ImportFileError(f"{label} {reference!r} not found (looked for {source})")
        if source.stat().st_size > MAX_IMAGE_BYTES:
            raise ImportFileError(
                f"{label} {reference!r} is larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB"
            )
        # Re-encoded exactly like an editor's upload (mhsite/images.py): only
        # the decoded pixels are kept, never metadata or bytes around the image.
        try:
            clean = reencode_image(ContentFile(source.read_bytes()), max_size=MAX_IMAGE_BYTES)
        except ImageRejected as exc:
            raise ImportFileError(f"{label} {reference!r} is not a readable image: {exc}") from None
        return PreparedImage(
            source=source, data=clean.content, extension=clean.extension, folder=folder
        )

    def _prepare_body_images(
        self, path: Path, document: ArticleDocument, result: FileResult
    ) -> dict[str, PreparedImage]:
        images: dict[str, PreparedImage] = {}
        texts = [document.body, *(faq.answer for faq in document.faqs)]

        def collect(line: str) -> str:
            for match in frontmatter.MARKDOWN_IMAGE.finditer(line):
                url = match.group("url").strip("<>")
                if not match.group("alt").strip():
                    result.warnings.append(f"body image {url!r} has no alt text")
                if frontmatter.is_local_path(url) and url not in images:
                    images[url] = self._prepare_image(path, url, body_image_dir(), "body image")
            return line

        for text in texts:
            frontmatter.outside_code_blocks(text, collect)
        return images

    # Writing.

    def _save(
        self,
        path: Path,
        document: ArticleDocument,
        hero: PreparedImage | None,
        body_images: dict[str, PreparedImage],
    ) -> str:
        written: list[str] = []
        try:
            # One revision per file, so the article's history shows the import.
            with transaction.atomic(), reversion.create_revision():
                reversion.set_comment(f"Imported from {path.name}")
                return self._save_in_transaction(path, document, hero, body_images, written)
        except BaseException:
            for name in written:
                self.storage.delete(name)
            raise

    def _save_in_transaction(self, path, document, hero, body_images, written) -> str:
        article = Article.objects.filter(slug=document.slug).first()
        created = article is None
        if not created and not self.update_existing:
            return "skipped"
        article = article or Article(slug=document.slug)
        changed = created

        author, author_changed = self._contributor(document.author, document.author_credentials)
        reviewer, reviewer_changed = self._contributor(
            document.reviewer, document.reviewer_credentials
        )
        if reviewer is not None and reviewer == author and not settings.ALLOW_SELF_REVIEW:
            # The stamp would say the author vouched for their own text
            # (articles/signing.py): refused here as in the admin.
            raise ImportFileError(
                f"reviewer: {reviewer.name} is also the author; a medical review must be "
                "done by someone else (ALLOW_SELF_REVIEW is off)."
            )
        assigned_reviewer, assigned_changed = self._contributor(document.assigned_reviewer, None)
        categories, categories_created = self._categories(document.categories)
        changed |= author_changed or reviewer_changed or assigned_changed or categories_created

        published_at = document.published
        if published_at is None and document.status == Article.Status.PUBLISHED:
            # Keep the original publication time of an article re-imported
            # without a date, rather than moving it to "now" on every import.
            published_at = article.published_at
        next_review_due = document.next_review_due
        if next_review_due is None and document.last_reviewed == article.last_reviewed:
            # No date in the file: the model's default (set on save) stands,
            # and one computed by an earlier import is not recomputed.
            next_review_due = article.next_review_due
        wanted = {
            "title": document.title,
            "summary": document.summary,
            "status": document.status,
            "author": author,
            "reviewer": reviewer,
            "assigned_reviewer": assigned_reviewer,
            "published_at": published_at,
            "expires_at": document.expires,
            # No `updated` key: no "Updated" line, whatever an earlier import said.
            "last_substantive_update": document.updated,
            "last_reviewed": document.last_reviewed,
            "next_review_due": next_review_due,
            "image_alt": document.image_alt,
            "image_credit": document.image_credit,
            "image_credit_url": document.image_credit_url,
        }
        before = {name: getattr(article, name) for name in wanted}
        before.update(body=article.body, image=article.image.name if article.image else "")
        for name, value in wanted.items():
            setattr(article, name, value)
        # The name the hero will most likely get, so validation sees the image.
        article.image.name = hero.target_name if hero else ""

        summary_limit = Article._meta.get_field("summary").max_length
        if len(document.summary) > summary_limit:
            raise ImportFileError(f"summary is longer than {summary_limit} characters")
        article.full_clean(exclude={"body", "summary", "image"}, validate_unique=False)
        faqs = [FAQ(question=faq.question, answer=faq.answer) for faq in document.faqs]
        references = [Reference(citation=ref.title, url=ref.url) for ref in document.references]
        for item in [*faqs, *references]:
            try:
                item.full_clean(exclude={"article", "order"})
            except ValidationError as exc:
                kind = "FAQ" if isinstance(item, FAQ) else "reference"
                raise ImportFileError(f"{kind} {item}: {_validation_message(exc)}") from None

        # Everything is checked: only now copy images into media.
        for image in [hero, *body_images.values()]:
            if image is not None:
                image.storage_name = self._store(image, written)
        article.image.name = hero.storage_name if hero else ""
        article.body = self._with_media_urls(document.body, body_images)
        for faq, entry in zip(faqs, document.faqs, strict=True):
            faq.answer = self._with_media_urls(entry.answer, body_images)

        after = {name: getattr(article, name) for name in wanted}
        after.update(body=article.body, image=article.image.name)
        old_faqs = [] if created else list(article.faqs.values_list("question", "answer"))
        old_refs = [] if created else list(article.references.values_list("citation", "url"))
        old_categories = set() if created else set(article.categories.values_list("pk", flat=True))
        faqs_changed = old_faqs != [(faq.question, faq.answer) for faq in faqs]
        refs_changed = old_refs != [(ref.citation, ref.url) for ref in references]
        categories_changed = old_categories != {category.pk for category in categories}
        content_changed = before != after or faqs_changed or refs_changed or categories_changed
        if content_changed:
            article.save()
        if faqs_changed:
            article.faqs.all().delete()
            for order, faq in enumerate(faqs):
                faq.article = article
                faq.order = order
                faq.save()
        if refs_changed:
            article.references.all().delete()
            for order, reference in enumerate(references):
                reference.article = article
                reference.order = order
            Reference.objects.bulk_create(references)
        if categories_changed:
            article.categories.set(categories)
        stamp = (article.reviewer, article.last_reviewed)
        if stamp != (before["reviewer"], before["last_reviewed"]) or created:
            self._record_imported_review(article, path)
        if created:
            return "created"
        return "updated" if content_changed or changed else "unchanged"

    @staticmethod
    def _record_imported_review(article: Article, path: Path) -> None:
        """The review behind an imported stamp, so the admin's review history shows it.

        Imports restore the stamp's fields as the file gives them and do not
        recompute them from reviews (see articles/publishing.py); this record
        only says where the stamp came from. A date in the future cannot be a
        review (``record_review`` refuses one too), and one already on record is
        not repeated.
        """
        reviewer, reviewed_on = article.reviewer, article.last_reviewed
        if reviewer is None or reviewed_on is None or reviewed_on > timezone.localdate():
            return
        on_record = article.reviews.filter(
            reviewer=reviewer,
            reviewed_on=reviewed_on,
            scope=Review.Scope.FULL,
            outcome=Review.Outcome.APPROVED,
        )
        if not on_record.exists():
            Review.objects.create(
                article=article,
                reviewer=reviewer,
                reviewed_on=reviewed_on,
                scope=Review.Scope.FULL,
                outcome=Review.Outcome.APPROVED,
                notes=f"Imported from {path.name}",
            )

    def _store(self, image: PreparedImage, written: list[str]) -> str:
        """The media name for the image, copying it only if media lacks it.

        Names are stable (the source file's name, or that name plus a content
        hash when a different file already has it), so a re-import reuses the
        copy it made the first time instead of adding another.
        """
        target = image.target_name
        digest = hashlib.sha256(image.data).hexdigest()[:12]
        stem, extension = target.rsplit(".", 1)
        for candidate in (target, f"{stem}-{digest}.{extension}"):
            if not self.storage.exists(candidate):
                name = self.storage.save(candidate, ContentFile(image.data))
                written.append(name)
                return name
            with self.storage.open(candidate, "rb") as existing:
                if existing.read() == image.data:
                    return candidate
        name = self.storage.save(target, ContentFile(image.data))
        written.append(name)
        return name

    def _with_media_urls(self, markdown: str, images: dict[str, PreparedImage]) -> str:
        if not images:
            return markdown

        def rewrite(match) -> str:
            url = match.group("url").strip("<>")
            image = images.get(url)
            if image is None:
                return match.group(0)
            media_url = self.storage.url(image.storage_name)
            return f"![{match.group('alt')}]({media_url}{match.group('title')})"

        return frontmatter.outside_code_blocks(
            markdown, lambda line: frontmatter.MARKDOWN_IMAGE.sub(rewrite, line)
        )

    def _contributor(self, name: str, credentials: str | None) -> tuple[Contributor | None, bool]:
        if not name:
            return None, False
        contributor = Contributor.objects.filter(name__iexact=name).order_by("pk").first()
        if contributor is None:
            contributor = Contributor(
                name=name,
                slug=_unique_slug(Contributor, name),
                credentials=credentials or "",
            )
            _clean(contributor, f"contributor {name!r}")
            contributor.save()
            return contributor, True
        if credentials is not None and contributor.credentials != credentials:
            contributor.credentials = credentials
            _clean(contributor, f"contributor {name!r}")
            contributor.save(update_fields=["credentials"])
            return contributor, True
        return contributor, False

    def _categories(self, names: list[str]) -> tuple[list[Category], bool]:
        categories, created = [], False
        for name in names:
            category = Category.objects.filter(name__iexact=name).order_by("pk").first()
            if category is None:
                category = Category(name=name, slug=_unique_slug(Category, name))
                _clean(category, f"category {name!r}")
                category.save()
                created = True
            categories.append(category)
        return categories, created

    def _link_related(self, result: FileResult) -> None:
        document = result.document
        with transaction.atomic(), reversion.create_revision():
            reversion.set_comment("Related articles set by import")
            article = Article.objects.get(slug=document.slug)
            found = dict(
                Article.objects.filter(slug__in=document.related).values_list("slug", "pk")
            )
            targets = []
            for slug in document.related:
                if slug == document.slug:
                    result.warnings.append("an article cannot be related to itself; skipped")
                elif slug not in found:
                    result.warnings.append(f"related article {slug!r} not found; skipped")
                else:
                    targets.append(found[slug])
            current = list(article.related_links.values_list("target_id", flat=True))
            if current == targets:
                return
            article.related_links.all().delete()
            RelatedArticle.objects.bulk_create(
                RelatedArticle(article=article, target_id=target, order=order)
                for order, target in enumerate(targets)
            )
            reversion.add_to_revision(article)
            if result.action == "unchanged":
                result.action = "updated"


def _unique_slug(model, name: str) -> str:
    max_length = model._meta.get_field("slug").max_length
    base = slugify(name)[: max_length - 4] or model._meta.model_name
    slug, suffix = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


def _check_markdown_lengths(document: ArticleDocument) -> None:
    """The body and FAQ limits, checked before any image is read or row written."""
    texts = [("body", document.body, ARTICLE_BODY_MAX_CHARS)]
    texts += [(f"FAQ {faq.question!r}", faq.answer, FAQ_ANSWER_MAX_CHARS) for faq in document.faqs]
    for label, text, limit in texts:
        try:
            MarkdownLengthValidator(limit)(text)
        except ValidationError as exc:
            raise ImportFileError(f"{label}: {' '.join(exc.messages)}") from None


def _clean(instance, label: str) -> None:
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise ImportFileError(f"{label}: {_validation_message(exc)}") from None


def _validation_message(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)
