"""django-markdownx's endpoints, behind a staff check.

Out of the box markdownx serves its preview and image upload to anyone. We keep
its URL names (``markdownx_markdownify``, ``markdownx_upload``) so its widget
finds them, but route them to our staff-only views.
"""

from django.urls import path

from . import markdownx_views

urlpatterns = [
    path("upload/", markdownx_views.ImageUploadView.as_view(), name="markdownx_upload"),
    path("markdownify/", markdownx_views.MarkdownifyView.as_view(), name="markdownx_markdownify"),
]
