"""The Markdown editor's image upload: stored after mhsite.images re-encodes it."""

from django.conf import settings
from django.core.files.storage import default_storage

from mhsite.images import ImageRejected, clean_image_file

__all__ = ["ImageRejected", "store_markdown_image"]


def store_markdown_image(upload) -> str:
    """Validate, re-encode and store an editor's upload; return its public URL."""
    clean = clean_image_file(upload)
    path = f"{settings.MARKDOWNX_MEDIA_PATH.rstrip('/')}/{clean.name}"
    saved_path = default_storage.save(path, clean)
    return default_storage.url(saved_path)
