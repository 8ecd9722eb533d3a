"""The batch: each file read, checked and saved in its own transaction, then related links."""

from collections.abc import Iterable
from pathlib import Path

import reversion
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage, default_storage
from django.db import transaction

from mhsite.markdown import ARTICLE_BODY_MAX_CHARS, FAQ_ANSWER_MAX_CHARS, MarkdownLengthValidator

from .. import frontmatter
from ..frontmatter import ArticleDocument, FormatError
from ..models import Article, RelatedArticle
from .images import HERO_IMAGE_DIR, prepare_body_images, prepare_image
from .results import (
    FileResult,
    ImportFileError,
    ImportReport,
    find_article_files,
    validation_message,
)
from .saving import ArticleFile, save_article

# Room for a body at its character limit in any script (up to 4 bytes a
# character in UTF-8 is rare; 2-3 is common), plus front matter and FAQs.
# Checked on the file's size before a byte of it is read.
MAX_ARTICLE_FILE_BYTES = 1024 * 1024


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
                link_related(result)
        return report

    def import_file(self, path: Path) -> FileResult:
        result = FileResult(path=path)
        try:
            document = frontmatter.parse_article(read_text(path))
            result.slug = document.slug
            result.document = document
            check_markdown_lengths(document)
            file = ArticleFile(
                path=path,
                document=document,
                hero=prepare_image(path, document.image, HERO_IMAGE_DIR, "image"),
                body_images=prepare_body_images(path, document, result.warnings.append),
            )
            result.action = self._save(file)
        except (FormatError, ImportFileError) as exc:
            result.error = str(exc)
        except ValidationError as exc:
            result.error = validation_message(exc)
        except Exception as exc:  # noqa: BLE001 - one broken file must not stop the batch
            result.error = f"{type(exc).__name__}: {exc}"
        return result

    def _save(self, file: ArticleFile) -> str:
        written: list[str] = []
        try:
            # One revision per file, so the article's history shows the import.
            with transaction.atomic(), reversion.create_revision():
                reversion.set_comment(f"Imported from {file.path.name}")
                return save_article(self.storage, file, self.update_existing, written)
        except BaseException:
            for name in written:
                self.storage.delete(name)
            raise


def read_text(path: Path) -> str:
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


def check_markdown_lengths(document: ArticleDocument) -> None:
    """The body and FAQ limits, checked before any image is read or row written."""
    texts = [("body", document.body, ARTICLE_BODY_MAX_CHARS)]
    texts += [(f"FAQ {faq.question!r}", faq.answer, FAQ_ANSWER_MAX_CHARS) for faq in document.faqs]
    for label, text, limit in texts:
        try:
            MarkdownLengthValidator(limit)(text)
        except ValidationError as exc:
            raise ImportFileError(f"{label}: {' '.join(exc.messages)}") from None


def link_related(result: FileResult) -> None:
    """The file's related articles, linked once every file of the batch is in."""
    document = result.document
    with transaction.atomic(), reversion.create_revision():
        reversion.set_comment("Related articles set by import")
        article = Article.objects.get(slug=document.slug)
        found = dict(Article.objects.filter(slug__in=document.related).values_list("slug", "pk"))
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
