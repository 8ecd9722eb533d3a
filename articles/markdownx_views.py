from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.decorators import method_decorator
from django.views import View

from .markdown import render_markdown


@method_decorator(staff_member_required, name="dispatch")
class MarkdownifyView(View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if "content" not in request.POST:
            return HttpResponseBadRequest("Missing content.")
        return HttpResponse(render_markdown(request.POST["content"]))


@method_decorator(staff_member_required, name="dispatch")
class ImageUploadView(View):
    """Replaced by the hardened upload in the admin/markdown work."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        return HttpResponseBadRequest("Uploads are not available yet.")
