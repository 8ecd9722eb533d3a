"""The images an article file names: checked and re-encoded first, stored only once all is valid."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.utils.text import get_valid_filename

from mhsite.images import ImageRejected, reencode_image

from .. import frontmatter
from ..frontmatter import ArticleDocument
from .results import ImportFileError

MAX_IMAGE_BYTES = 10 * 1024 * 1024
HERO_IMAGE_DIR = "articles"


def body_image_dir() -> str:
    # The folder django-markdownx uploads to, so imported and editor-uploaded
    # body images live together.
    return getattr(settings, "MARKDOWNX_MEDIA_PATH", "markdownx/").strip("/") or "markdownx"


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


def prepare_image(
    markdown_path: Path, reference: str, folder: str, label: str
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
        raise ImportFileError(f"{label} {reference!r} points outside the Markdown file's folder")
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


def prepare_body_images(
    path: Path, document: ArticleDocument, warn: Callable[[str], None]
) -> dict[str, PreparedImage]:
    """The local images of the body and FAQ answers, by the URL the Markdown gives."""
    images: dict[str, PreparedImage] = {}

    def collect(line: str) -> str:
        for match in frontmatter.MARKDOWN_IMAGE.finditer(line):
            url = match.group("url").strip("<>")
            if not match.group("alt").strip():
                warn(f"body image {url!r} has no alt text")
            if frontmatter.is_local_path(url) and url not in images:
                images[url] = prepare_image(path, url, body_image_dir(), "body image")
        return line

    for text in [document.body, *(faq.answer for faq in document.faqs)]:
        frontmatter.outside_code_blocks(text, collect)
    return images


def store(storage: Storage, image: PreparedImage, written: list[str]) -> str:
    """The media name for the image, copying it only if media lacks it.

    Names are stable (the source file's name, or that name plus a content
    hash when a different file already has it), so a re-import reuses the
    copy it made the first time instead of adding another. Names it writes
    are appended to ``written`` so a failed import can remove them.
    """
    target = image.target_name
    digest = hashlib.sha256(image.data).hexdigest()[:12]
    stem, extension = target.rsplit(".", 1)
    for candidate in (target, f"{stem}-{digest}.{extension}"):
        if not storage.exists(candidate):
            name = storage.save(candidate, ContentFile(image.data))
            written.append(name)
            return name
        with storage.open(candidate, "rb") as existing:
            if existing.read() == image.data:
                return candidate
    name = storage.save(target, ContentFile(image.data))
    written.append(name)
    return name


def with_media_urls(storage: Storage, markdown: str, images: dict[str, PreparedImage]) -> str:
    """The Markdown with each local image path replaced by its stored media URL."""
    if not images:
        return markdown

    def rewrite(match) -> str:
        url = match.group("url").strip("<>")
        image = images.get(url)
        if image is None:
            return match.group(0)
        media_url = storage.url(image.storage_name)
        return f"![{match.group('alt')}]({media_url}{match.group('title')})"

    return frontmatter.outside_code_blocks(
        markdown, lambda line: frontmatter.MARKDOWN_IMAGE.sub(rewrite, line)
    )
