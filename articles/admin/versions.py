"""The article admin's history: revert under the workflow's rules, and comparing two versions."""

from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from reversion.models import Version

from .. import history, reverting


class ArticleVersionsMixin:
    """On top of reversion's ``VersionAdmin``: guarded reverts, a light history, comparison."""

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name=f"{opts.app_label}_{opts.model_name}_compare",
            ),
            *super().get_urls(),
        ]

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Checked and recorded before reversion overwrites the row (articles/reverting.py).
        current = self.get_object(request, unquote(object_id))
        if current is not None:
            refused = reverting.refusal(current, request.user)
            if refused:
                messages.error(request, refused)
                opts = self.model._meta
                return redirect(
                    f"admin:{opts.app_label}_{opts.model_name}_history", quote(current.pk)
                )
            request.article_before_revert = reverting.snapshot(current)
        return super().revision_view(request, object_id, version_id, extra_context)

    def get_object(self, request, object_id, from_field=None):
        article = super().get_object(request, object_id, from_field)
        before = getattr(request, "article_before_revert", None)
        if article is not None and before is not None:
            reverting.keep_current_state(article, before)
        return article

    def history_view(self, request, object_id, extra_context=None):
        # Each version holds a copy of the whole article (serialized_data);
        # the page lists dates, users and comments only.
        versions = (
            Version.objects.get_for_object_reference(self.model, unquote(object_id))
            .select_related("revision__user")
            .defer("serialized_data")
        )
        context = {"versions": versions, **(extra_context or {})}
        # Django's history page, not VersionAdmin's: that one loads every
        # version whole again for a list our template does not show.
        return admin.ModelAdmin.history_view(self, request, object_id, context)

    def compare_view(self, request, object_id):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        object_id = unquote(object_id)
        article = self.get_object(request, object_id)
        if article is None:
            raise Http404("No such article.")
        versions = Version.objects.get_for_object_reference(self.model, object_id)
        history_url = reverse(
            f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_history",
            args=[quote(article.pk)],
        )
        try:
            first = versions.select_related("revision__user").get(pk=int(request.GET["a"]))
            second = versions.select_related("revision__user").get(pk=int(request.GET["b"]))
        except (KeyError, ValueError, Version.DoesNotExist):
            messages.error(request, "Choose two versions of this article to compare.")
            return redirect(history_url)
        older, newer = sorted([first, second], key=lambda v: v.revision.date_created)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": article,
            "title": f"Compare versions of “{article}”",
            "older": older,
            "newer": newer,
            "diffs": history.diff_versions(older, newer),
            "history_url": history_url,
        }
        return TemplateResponse(request, "admin/articles/article/compare_versions.html", context)
