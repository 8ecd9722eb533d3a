"""The article admin's addresses, and what its changelist offers."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

CHANGELIST = reverse("admin:articles_article_changelist")


ADD = reverse("admin:articles_article_add")


def png_upload(name="calm-room.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (12, 8), (40, 90, 160)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def offered_actions(response) -> set[str]:
    action_form = response.context["action_form"]  # None when no action is allowed
    return {name for name, _label in action_form.fields["action"].choices} if action_form else set()


def changelist_titles(response) -> set[str]:
    return {article.title for article in response.context["cl"].result_list}
