"""Images that editors upload (the Markdown editor, the admin) or import.

django-markdownx trusts the client's content type and keeps the uploaded
bytes, so an HTML or SVG file labelled ``image/gif`` would be served from our
origin. Here an upload is accepted only when Pillow decodes it as JPEG, PNG,
GIF or WebP; the pixels are then re-encoded into a fresh file (dropping EXIF,
GPS and any bytes smuggled around the image data) named by the decoded format.
Animated images keep their first frame; very large ones are scaled down.
"""

import io
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow format name -> file extension we store it under.
ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}

# Larger pictures are scaled down: article images never need more than this.
MAX_DIMENSION = 2400

DEFAULT_MAX_PIXELS = 40_000_000


class ImageRejected(ValueError):
    """An upload that is not an image we accept; the message is for the editor."""


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    extension: str


def _max_pixels() -> int:
    return getattr(settings, "MARKDOWNX_UPLOAD_MAX_PIXELS", DEFAULT_MAX_PIXELS)


def reencode_image(upload, *, max_size: int | None = None) -> CleanImage:
    """Decode ``upload`` (a file object with ``size``), return it re-encoded.

    ``max_size`` (bytes) defaults to the editor upload limit; imports pass
    their own. Raises ImageRejected with a message an editor can act on.
    """
    if max_size is None:
        max_size = settings.MARKDOWNX_UPLOAD_MAX_SIZE
    size = getattr(upload, "size", None)
    if size is None or size > max_size:
        raise ImageRejected(f"The image is too large: the limit is {filesizeformat(max_size)}.")
    upload.seek(0)
    data = upload.read(max_size + 1)
    if len(data) > max_size:
        raise ImageRejected(f"The image is too large: the limit is {filesizeformat(max_size)}.")
    formats = list(ACCEPTED_FORMATS)
    try:
        with Image.open(io.BytesIO(data), formats=formats) as probe:
            image_format = probe.format
            width, height = probe.size
            if width * height > _max_pixels():
                raise ImageRejected(
                    f"The image is {width}×{height} pixels, more than this site accepts. "
                    "Scale it down and upload it again."
                )
            probe.verify()
        # verify() leaves the image unusable, so decode again for the pixels.
        with Image.open(io.BytesIO(data), formats=formats) as image:
            image.load()
            clean = _clean_pixels(image, image_format)
    except ImageRejected:
        raise
    except Image.DecompressionBombError:
        raise ImageRejected(
            "The image has more pixels than this site accepts. Scale it down and upload it again."
        ) from None
    except UnidentifiedImageError:
        raise ImageRejected(
            "This file is not a JPEG, PNG, GIF or WebP image. SVG is not accepted."
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise ImageRejected("This image is damaged or incomplete and could not be read.") from None

    out = io.BytesIO()
    save_options = {"JPEG": {"quality": 85, "optimize": True}, "WEBP": {"quality": 85}}
    clean.save(out, format=image_format, **save_options.get(image_format, {}))
    return CleanImage(content=out.getvalue(), extension=ACCEPTED_FORMATS[image_format])


def _clean_pixels(image: Image.Image, image_format: str) -> Image.Image:
    """The first frame's pixels, upright, scaled down if huge, with no metadata."""
    image.seek(0)
    upright = ImageOps.exif_transpose(image) or image
    frame = upright.copy()
    transparency = frame.info.get("transparency")
    # Dropping info drops EXIF, XMP, comments and text chunks on re-encoding.
    frame.info = {} if transparency is None else {"transparency": transparency}
    if image_format == "JPEG" and frame.mode not in ("RGB", "L"):
        frame = frame.convert("RGB")
    elif image_format in ("PNG", "WEBP") and frame.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        frame = frame.convert("RGBA")
    if max(frame.size) > MAX_DIMENSION:
        if frame.mode == "P":
            frame = frame.convert("RGBA")
        frame.thumbnail((MAX_DIMENSION, MAX_DIMENSION))
    return frame


def clean_image_file(upload, basename: str | None = None) -> ContentFile:
    """A re-encoded copy of ``upload`` ready to assign to an ImageField."""
    clean = reencode_image(upload)
    return ContentFile(clean.content, name=f"{basename or uuid.uuid4().hex}.{clean.extension}")


def store_markdown_image(upload) -> str:
    """Validate, re-encode and store an editor's upload; return its public URL."""
    clean = clean_image_file(upload)
    path = f"{settings.MARKDOWNX_MEDIA_PATH.rstrip('/')}/{clean.name}"
    saved_path = default_storage.save(path, clean)
    return default_storage.url(saved_path)
