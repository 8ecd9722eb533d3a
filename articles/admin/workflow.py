"""The medical-review workflow in the article admin.

``ArticleWorkflowAdmin`` is the base class of the article admin
(articles/admin/article.py). On top of django-reversion's ``VersionAdmin`` (history
with who and when, revert, recovery of deleted articles) it adds:

* roles: writers get draft/in-review statuses only and cannot touch published
  or archived articles; publishing, archiving and scheduling need
  ``publish_article``; assigning the reviewer needs ``assign_reviewer``; the
  review dates and the stamp's reviewer ("last reviewed by") are read-only for
  everyone (only recorded reviews move them);
* the publishing rules of articles/publishing.py, with an editor's override
  and its recorded reason;
* refusal of a save made from a stale form (edit conflict), the editor's
  text shown back to them;
* the "changed since medical review" flag, a review panel, a content checks
  panel and list column, the review history inline;
* a readable comparison of any two versions.

The form's share lives in ``workflow_form.py``, the history views in ``versions.py``.
"""

import copy

import reversion
from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.db.models import Prefetch
from django.utils import formats
from django.utils.html import format_html, format_html_join
from reversion.admin import VersionAdmin

from .. import check_cache, checks, publishing, reviews
from ..models import FAQ, Article, Review
from .versions import ArticleVersionsMixin
from .workflow_form import LOCKED_STATUSES, ArticleWorkflowFormMixin


class ReviewInline(admin.TabularInline):
    """The article's review history, read-only: reviews are recorded, never edited."""

    model = Review
    fields = ["reviewed_on", "scope", "outcome", "reviewer", "reviewed_by_user", "notes"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    verbose_name_plural = "medical review history"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reviewer", "reviewed_by_user")


class ArticleWorkflowAdmin(ArticleVersionsMixin, VersionAdmin):
    """Base class for the article admin: see the module docstring."""

    object_history_template = "admin/articles/article/object_history.html"
    change_form_template = "admin/articles/article/change_form.html"
    workflow_fields = ["review_panel", "checks_panel", "override_reason", "edit_token_seen"]

    # Forms -----------------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = kwargs.pop("form", None) or self.form
        workflow_form = type(base.__name__, (ArticleWorkflowFormMixin, base), {"request": request})
        return super().get_form(request, obj, change, form=workflow_form, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = copy.deepcopy(super().get_fieldsets(request, obj))
        present = {name for _title, options in fieldsets for name in options["fields"]}
        present = {name for name in present if isinstance(name, str)}
        for _title, options in fieldsets:
            fields = list(options["fields"])
            if "published_at" in fields and "expires_at" not in present:
                fields.insert(fields.index("published_at") + 1, "expires_at")
            options["fields"] = [name for name in fields if name not in self.workflow_fields]
        workflow = ["review_panel", "checks_panel"] if obj else ["checks_panel"]
        can_save = (
            self.has_change_permission(request, obj) if obj else self.has_add_permission(request)
        )
        if can_save:
            workflow.append("edit_token_seen")
            if request.user.has_perm("articles.override_review_rules"):
                fieldsets = self._with_override_fieldset(fieldsets)
        return [("Review status and content checks", {"fields": workflow}), *fieldsets]

    @staticmethod
    def _with_override_fieldset(fieldsets):
        """The override reason, collapsed, right after the fieldset with Status: used rarely."""
        override = (
            "Publish anyway",
            {"fields": ["override_reason"], "classes": ["collapse"]},
        )
        for index, (_title, options) in enumerate(fieldsets):
            if "status" in options["fields"]:
                return [*fieldsets[: index + 1], override, *fieldsets[index + 1 :]]
        return [*fieldsets, override]

    def get_readonly_fields(self, request, obj=None):
        readonly = [*super().get_readonly_fields(request, obj)]
        readonly += [
            "review_panel",
            "checks_panel",
            "reviewer",
            "last_reviewed",
            "next_review_due",
        ]
        if not request.user.has_perm("articles.publish_article"):
            readonly += ["published_at", "expires_at"]
        if not request.user.has_perm("articles.assign_reviewer"):
            readonly += ["assigned_reviewer"]
        return list(dict.fromkeys(readonly))

    def get_inlines(self, request, obj):
        inlines = list(super().get_inlines(request, obj))
        return [*inlines, ReviewInline] if obj else inlines

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if allowed and obj is not None and obj.status in LOCKED_STATUSES:
            return request.user.has_perm("articles.publish_article")
        return allowed

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        match = getattr(request, "resolver_match", None)
        if match and match.url_name and match.url_name.endswith("_history"):
            # The history page shows the title only.
            return queryset.without_bodies()
        return queryset.prefetch_related(
            Prefetch("faqs", queryset=FAQ.objects.order_by("order", "pk")), "references"
        )

    def get_changelist(self, request, **kwargs):
        return check_cache.LightChangeList

    # Panels and columns ------------------------------------------------------

    @admin.display(description="medical review")
    def review_panel(self, article):
        if not article.pk:
            return "—"
        parts = []
        if article.changed_since_review:
            added, removed = reviews.sensitive_changes(
                article, reviews.article_sensitive_passages(article)
            )
            parts.append(
                format_html(
                    '<p class="review-flag"><strong>{}</strong> {}</p>',
                    "Changed since medical review.",
                    "Clinically sensitive text was edited after the last approved full review; "
                    "readers see “Updated — not yet re-reviewed”.",
                )
            )
            if added or removed:
                parts.append(
                    format_html(
                        "<ul>{}{}</ul>",
                        format_html_join("", "<li>New or changed: {}</li>", ((p,) for p in added)),
                        format_html_join("", "<li>Removed: {}</li>", ((p,) for p in removed)),
                    )
                )
        if article.last_reviewed:
            parts.append(
                format_html(
                    "<p>Last approved full review {} by {}; next review due {} ({}).</p>",
                    formats.date_format(article.last_reviewed),
                    article.reviewer or "—",
                    formats.date_format(article.next_review_due)
                    if article.next_review_due
                    else "—",
                    article.get_review_state_display().lower(),
                )
            )
        else:
            parts.append(format_html("<p>{}</p>", "No approved full medical review yet."))
        return format_html_join("", "{}", ((part,) for part in parts))

    @admin.display(description="content checks")
    def checks_panel(self, article):
        if not article.pk:
            return "Checks run when the article is saved."
        results = checks.run_checks(article)
        if not results:
            return "All content checks pass."
        return format_html(
            '<ul class="content-checks">{}</ul>',
            format_html_join(
                "",
                "<li><strong>{}{}</strong>: {}</li>",
                (
                    (r.label, " (blocks publishing)" if r.blocks_publishing else "", r.message)
                    for r in results
                ),
            ),
        )

    @admin.display(description="checks")
    def checks_column(self, article):
        # Stored by check_cache (the list refreshes stale rows), not run here.
        codes = article.check_codes or []
        if not codes:
            return "✓"
        return format_html(
            '<span title="{}">{} warning(s)</span>',
            "; ".join(checks.ALL_CHECKS[code] for code in codes),
            len(codes),
        )

    @admin.display(description="changed since review", boolean=True)
    def changed_column(self, article):
        return article.changed_since_review

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), "changed_since_review"]

    def get_list_display(self, request):
        return [*super().get_list_display(request), "changed_column", "checks_column"]

    # Saving ----------------------------------------------------------------

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        was_flagged = Article.objects.filter(pk=article.pk, changed_since_review=True).exists()
        if article.reviewed_sensitive_text is not None:
            flagged = reviews.refresh_changed_flag(article)
            if flagged and not was_flagged:
                messages.warning(
                    request,
                    "Clinically sensitive text changed since the last medical review: the "
                    "article is flagged “changed since medical review” until a new full "
                    "review.",
                )
        override = getattr(form, "publish_override", None)
        if override:
            reason, problems = override
            publishing.record_override(article, request.user, reason, problems)
            self.log_change(
                request,
                article,
                f"Published despite: {publishing.describe(problems)} Reason: {reason}",
            )

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        # One article at a time, through the confirmation page, so that each
        # deletion is recorded as a recoverable version first (delete_model).
        actions.pop("delete_selected", None)
        return actions

    def delete_model(self, request, obj):
        # A deleted article stays recoverable ("Recover deleted articles"),
        # with its FAQs, references, related links and review history. The
        # revision is saved before the delete: reversion keeps versions only
        # of objects that exist when a revision is saved.
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment("Deleted")
            reversion.add_to_revision(obj)
            for review in obj.reviews.all():
                reversion.add_to_revision(review)
        super().delete_model(request, obj)

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Reviews cannot be deleted on their own, but go with their article:
        # they are kept in the deletion's revision and come back on recovery.
        perms_needed.discard(Review._meta.verbose_name)
        return deleted, model_count, perms_needed, protected
