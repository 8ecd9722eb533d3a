"""Export articles as files in the import format (see ``articles/frontmatter``).

Every article, whatever its status, becomes ``<slug>.md`` in the target folder,
with its hero and body images copied to ``images/`` beside it and the body's
media links rewritten to those copies, so ``import_articles`` on that folder
rebuilds the same articles in an empty database.
"""

import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from django.conf import settings
from django.core.files.storage import Storage, default_storage
from django.db.models import Prefetch

from . import frontmatter
from .frontmatter import ArticleDocument, FAQEntry, ReferenceEntry
from .models import Article, RelatedArticle

IMAGES_FOLDER = "images"


@dataclass
class ExportReport:
    files: list[Path] = field(default_factory=list)
    images: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class ArticleExporter:
    def __init__(self, directory: Path | str, *, storage: Storage | None = None):
        self.directory = Path(directory)
        self.storage = storage or default_storage
        self.report = ExportReport()
        # Storage name -> exported file name, so a shared image is copied once
        # and two different images with the same name do not overwrite each other.
        self._exported: dict[str, str] = {}
        # Body images link to media by MEDIA_URL, or by the storage's own URL
        # when media lives elsewhere (an S3 bucket or CDN domain).
        self._media_prefixes = {settings.MEDIA_URL, self.storage.url("x").removesuffix("x")}

    def export(self, articles=None) -> ExportReport:
        if articles is None:
            articles = Article.objects.all()
        articles = (
            articles.select_related("author", "reviewer", "assigned_reviewer")
            .prefetch_related(
                "categories",
                "faqs",
                "references",
                Prefetch(
                    "related_links",
                    queryset=RelatedArticle.objects.select_related("target"),
                ),
            )
            .order_by("slug")
        )
        self.directory.mkdir(parents=True, exist_ok=True)
        for article in articles:
            document = self._document(article)
            text = frontmatter.dump_article(document)
            self._check_round_trip(document, text)
            path = self.directory / f"{article.slug}.md"
            path.write_text(text, encoding="utf-8")
            self.report.files.append(path)
        return self.report

    def _document(self, article: Article) -> ArticleDocument:
        image = ""
        if article.image:
            image = self._copy_image(article.image.name, article.slug, "image") or ""
        return ArticleDocument(
            title=article.title,
            slug=article.slug,
            summary=article.summary,
            status=article.status,
            author=article.author.name if article.author else "",
            author_credentials=(article.author.credentials or None) if article.author else None,
            reviewer=article.reviewer.name if article.reviewer else "",
            reviewer_credentials=(
                (article.reviewer.credentials or None) if article.reviewer else None
            ),
            assigned_reviewer=article.assigned_reviewer.name if article.assigned_reviewer else "",
            categories=sorted(category.name for category in article.categories.all()),
            published=article.published_at,
            expires=article.expires_at,
            updated=article.last_substantive_update,
            last_reviewed=article.last_reviewed,
            next_review_due=article.next_review_due,
            image=image,
            image_alt=article.image_alt,
            image_credit=article.image_credit,
            image_credit_url=article.image_credit_url,
            related=[link.target.slug for link in article.related_links.all()],
            references=[
                ReferenceEntry(title=reference.citation, url=reference.url)
                for reference in article.references.all()
            ],
            body=self._with_relative_images(article.body, article.slug),
            faqs=[
                FAQEntry(
                    question=faq.question.strip(),
                    answer=self._with_relative_images(faq.answer, article.slug),
                )
                for faq in article.faqs.all()
            ],
        )

    def _with_relative_images(self, markdown: str, slug: str) -> str:
        markdown = frontmatter.normalize_newlines(markdown or "").strip()
        prefixes = self._media_prefixes

        def rewrite(match) -> str:
            url = match.group("url").strip("<>")
            prefix = next((p for p in prefixes if p and url.startswith(p)), None)
            if prefix is None:
                return match.group(0)
            copied = self._copy_image(unquote(url[len(prefix) :]), slug, "body image")
            if copied is None:
                return match.group(0)
            return f"![{match.group('alt')}]({copied}{match.group('title')})"

        return frontmatter.outside_code_blocks(
            markdown, lambda line: frontmatter.MARKDOWN_IMAGE.sub(rewrite, line)
        )

    def _copy_image(self, storage_name: str, slug: str, label: str) -> str | None:
        """Copy a media file to images/ and return its path relative to the export."""
        if storage_name in self._exported:
            return self._exported[storage_name]
        if not self.storage.exists(storage_name):
            self.report.warnings.append(
                f"{slug}: {label} {storage_name!r} is missing from media; not exported"
            )
            return None
        file_name = PurePosixPath(storage_name).name
        if f"{IMAGES_FOLDER}/{file_name}" in self._exported.values():
            file_name = f"{slug}-{file_name}"
        relative = f"{IMAGES_FOLDER}/{file_name}"
        target = self.directory / IMAGES_FOLDER / file_name
        target.parent.mkdir(parents=True, exist_ok=True)
        with self.storage.open(storage_name, "rb") as source, target.open("wb") as copy:
            shutil.copyfileobj(source, copy)
        self._exported[storage_name] = relative
        self.report.images.append(target)
        return relative

    def _check_round_trip(self, document: ArticleDocument, text: str) -> None:
        """Warn when the file would not import back as the same body and FAQs.

        A body with its own "## FAQs" heading, or an answer with a "###"
        heading, cannot be told apart from the FAQ section in this format.
        """
        try:
            parsed = frontmatter.parse_article(text)
        except frontmatter.FormatError as exc:
            self.report.warnings.append(f"{document.slug}: will not re-import: {exc}")
            return
        if parsed.body != document.body or parsed.faqs != document.faqs:
            self.report.warnings.append(
                f"{document.slug}: the body or FAQs contain headings that the import format "
                "reads differently; check the file before re-importing it"
            )
