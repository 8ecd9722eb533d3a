"""django-markdownx's preview and upload endpoints, for active staff only.

markdownx serves both to anyone and its preview returns raw HTML
(CVE-2024-2319). Ours answer 403 to everyone else (before looking at the
method, so GET is refused as firmly as POST) and use the site's one sanitizing
renderer and the hardened image upload.
"""

from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.utils.html import format_html
from django.views import View

from mhsite.markdown import ARTICLE_BODY_MAX_CHARS, MarkdownLengthValidator, render_markdown

from .uploads import ImageRejected, store_markdown_image


def is_active_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


class StaffOnlyMixin:
    """403, never a redirect to a login page: these are called by scripts."""

    def dispatch(self, request, *args, **kwargs):
        if not is_active_staff(request.user):
            return JsonResponse({"error": "Only signed-in staff may use this."}, status=403)
        return super().dispatch(request, *args, **kwargs)


class MarkdownifyView(StaffOnlyMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        content = request.POST.get("content", "")
        try:
            # The longest text any field accepts; the field says so again on save.
            MarkdownLengthValidator(ARTICLE_BODY_MAX_CHARS)(content)
        except ValidationError as exc:
            preview = format_html("<p><strong>No preview.</strong> {}</p>", exc.messages[0])
        else:
            preview = render_markdown(content)
        return HttpResponse(preview, content_type="text/html; charset=utf-8")


class ImageUploadView(StaffOnlyMixin, View):
    """Answers in markdownx's format so its editor script inserts the image."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        upload = request.FILES.get("image")
        if upload is None:
            return JsonResponse({"image": ["Choose an image file to upload."]}, status=400)
        try:
            url = store_markdown_image(upload)
        except ImageRejected as exc:
            return JsonResponse({"image": [str(exc)]}, status=400)
        return JsonResponse({"image_code": f"![]({url})"})
