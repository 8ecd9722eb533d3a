"""The one way an image enters the site: decoded, limited, stripped, re-encoded, renamed.

Every entry point uses ``reencode_image``: the Markdown editor's upload, the
admin's hero image, contributor and therapist photos, and imports. Clients
choose the bytes, the name and the content type of an upload, so none of them
is trusted: a file is accepted only when Pillow decodes it as JPEG, PNG, GIF
or WebP, and what is stored is a fresh encoding of its pixels (no EXIF or GPS,
no comments or text chunks, no bytes smuggled after the image data) under a
random name with the extension of the decoded format.

The rules (settings, documented in docs/deployment.md):

* at most ``IMAGE_UPLOAD_MAX_BYTES`` bytes as uploaded (5 MB);
* at most ``IMAGE_UPLOAD_MAX_PIXELS`` pixels (40 MP), checked from the header
  before anything is decoded, so a tiny file of huge dimensions is refused;
* pictures larger than ``IMAGE_MAX_DIMENSION`` (2400 px) on a side are scaled
  down to fit; animated images keep their first frame; photos are turned
  upright by their EXIF orientation before it is dropped.

Model fields declared as ``CleanImageField`` apply the same function when the
model is saved, so a service, a shell session or a crafted form cannot store
an image that skipped it. This module imports neither app.
"""

import io
import uuid
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.db.models import signals
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow format name -> file extension we store it under.
ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
SAVE_OPTIONS = {"JPEG": {"quality": 85, "optimize": True}, "WEBP": {"quality": 85}}

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000
DEFAULT_MAX_DIMENSION = 2400


class ImageRejected(ValueError):
    """Not an image we accept; the message is for the editor."""


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    extension: str


class CleanContentFile(ContentFile):
    """A re-encoded image: fields that see one know it needs no second pass."""


def max_bytes() -> int:
    return getattr(settings, "IMAGE_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_pixels() -> int:
    return getattr(settings, "IMAGE_UPLOAD_MAX_PIXELS", DEFAULT_MAX_PIXELS)


def max_dimension() -> int:
    return getattr(settings, "IMAGE_MAX_DIMENSION", DEFAULT_MAX_DIMENSION)


def _read_limited(upload, limit: int) -> bytes:
    too_large = ImageRejected(f"The image is too large: the limit is {filesizeformat(limit)}.")
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise too_large
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise too_large
    return data


def _decode(data: bytes) -> tuple[Image.Image, str]:
    """The first frame's pixels (loaded) and the decoded format; raises ImageRejected."""
    formats = list(ACCEPTED_FORMATS)
    try:
        with Image.open(io.BytesIO(data), formats=formats) as probe:
            image_format = probe.format
            width, height = probe.size
            if width * height > max_pixels():
                raise ImageRejected(
                    f"The image is {width}×{height} pixels, more than this site accepts "
                    f"({max_pixels() // 1_000_000} megapixels). Scale it down and upload it again."
                )
            probe.verify()
        # verify() leaves the image unusable, so decode again for the pixels.
        with Image.open(io.BytesIO(data), formats=formats) as image:
            image.load()
            return _clean_pixels(image, image_format), image_format
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
    limit = max_dimension()
    if max(frame.size) > limit:
        if frame.mode == "P":
            frame = frame.convert("RGBA")
        frame.thumbnail((limit, limit))
    return frame


def reencode_image(upload, *, max_size: int | None = None) -> CleanImage:
    """Decode ``upload`` (a file object), return its pixels re-encoded.

    ``max_size`` (bytes) defaults to ``IMAGE_UPLOAD_MAX_BYTES``. Raises
    ImageRejected with a message an editor can act on.
    """
    data = _read_limited(upload, max_bytes() if max_size is None else max_size)
    clean, image_format = _decode(data)
    out = io.BytesIO()
    clean.save(out, format=image_format, **SAVE_OPTIONS.get(image_format, {}))
    return CleanImage(content=out.getvalue(), extension=ACCEPTED_FORMATS[image_format])


def clean_image_file(upload) -> CleanContentFile:
    """A re-encoded copy of ``upload`` under a random name, ready for storage or a field."""
    clean = reencode_image(upload)
    return CleanContentFile(clean.content, name=f"{uuid.uuid4().hex}.{clean.extension}")


class CleanImageFormField(forms.ImageField):
    """A form's image upload, re-encoded while the form is validated (errors show on the field)."""

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        try:
            return clean_image_file(upload)
        except ImageRejected as exc:
            raise ValidationError(str(exc), code="invalid_image") from None


class CleanImageField(models.ImageField):
    """An ImageField that stores only images that went through ``reencode_image``."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CleanImageFormField, **kwargs})

    def contribute_to_class(self, cls, name, **kwargs):
        super().contribute_to_class(cls, name, **kwargs)
        if not cls._meta.abstract:
            # Before save() opens its transaction, so a refused image leaves the
            # caller's transaction usable; pre_save() below covers bulk_create.
            signals.pre_save.connect(self._clean_before_save, sender=cls, weak=False)

    def _clean_before_save(self, sender, instance, **kwargs):
        self.reencode_new_upload(instance)

    def reencode_new_upload(self, instance) -> None:
        """Replace a newly assigned, not yet stored file by its re-encoded copy."""
        file = getattr(instance, self.attname)
        if file and not file._committed and not isinstance(file.file, CleanContentFile):
            try:
                clean = clean_image_file(file.file)
            except ImageRejected as exc:
                raise ValidationError({self.name: str(exc)}) from None
            setattr(instance, self.attname, clean)

    def pre_save(self, model_instance, add):
        self.reencode_new_upload(model_instance)
        return super().pre_save(model_instance, add)

    def deconstruct(self):
        # Migrations see a plain ImageField: the database column is the same,
        # so switching a field to this class needs no migration.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.ImageField", args, kwargs
