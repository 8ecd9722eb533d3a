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
"""

import copy

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from reversion.admin import VersionAdmin
from reversion.models import Version

from .. import check_cache, checks, history, publishing, reverting, reviews
from ..models import FAQ, Article, Review

WRITER_STATUSES = {Article.Status.DRAFT, Article.Status.IN_REVIEW}
LOCKED_STATUSES = {Article.Status.PUBLISHED, Article.Status.ARCHIVED}


def _formset_rows(data, prefix: str, fields: list[str]) -> list[dict[str, str]]:
    """The rows of an inline formset as submitted (deleted rows left out)."""
    try:
        total = int(data.get(f"{prefix}-TOTAL_FORMS", 0))
    except (TypeError, ValueError):
        return []
    rows = []
    for index in range(min(total, 1000)):
        if data.get(f"{prefix}-{index}-DELETE"):
            continue
        row = {field: data.get(f"{prefix}-{index}-{field}", "") for field in fields}
        if any(value.strip() for value in row.values()):
            rows.append(row)
    return rows


class ArticleWorkflowFormMixin(forms.Form):
    """Mixed into the article admin's form by ``ArticleWorkflowAdmin.get_form``."""

    edit_token_seen = forms.UUIDField(widget=forms.HiddenInput, required=False)
    override_reason = forms.CharField(
        label="Reason to publish anyway",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=(
            "Editors only. Publishing without a current medical review, or with clinically "
            "sensitive text changed since it, needs a reason. It is recorded with your name."
        ),
    )

    request = None  # set by the admin

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.publish_override = None
        # Editors come to write: the title, not the first field Django finds.
        for name, field in self.fields.items():
            field.widget.attrs.pop("autofocus", None)
            if name == "title":
                field.widget.attrs["autofocus"] = True
        if self.instance.pk:
            self.fields["edit_token_seen"].initial = self.instance.edit_token
        if "status" in self.fields and not self._can("publish_article"):
            self.fields["status"].choices = [
                choice for choice in self.fields["status"].choices if choice[0] in WRITER_STATUSES
            ]

    def _can(self, permission: str) -> bool:
        return self.request is not None and self.request.user.has_perm(f"articles.{permission}")

    def clean(self):
        cleaned_data = super().clean()
        article = self.instance  # still the stored values: the form copies its data in later
        # The admin's form always carries the token; a client that sends none
        # (scripts, tests building POST data) gets no conflict check.
        has_token = self.add_prefix("edit_token_seen") in self.data
        if article.pk and has_token and not self._check_edit_token(article):
            return cleaned_data
        status = cleaned_data.get("status", article.status)
        if not self._can("publish_article") and (
            status in LOCKED_STATUSES or article.status in LOCKED_STATUSES
        ):
            raise forms.ValidationError(
                "Only editors can publish, archive or change a published article."
            )

        candidate = copy.copy(article)
        for name, value in cleaned_data.items():
            field = next((f for f in Article._meta.concrete_fields if f.name == name), None)
            if field is not None:
                setattr(candidate, field.attname if field.is_relation else name, value)
        if status == Article.Status.PUBLISHED and not candidate.published_at:
            candidate.published_at = timezone.now()

        for field, message in publishing.schedule_errors(
            candidate.published_at,
            candidate.expires_at,
            expiry_changed="expires_at" in self.changed_data,
        ).items():
            self.add_error(field if field in self.fields else None, message)

        faqs = [
            (row["question"], row["answer"]) for row in self._rows("faqs", ["question", "answer"])
        ]
        if article.pk and article.reviewed_sensitive_text is None and article.last_reviewed:
            # Reviewed before this system kept snapshots (imports, older data):
            # the stored text is what that review vouched for.
            article.reviewed_sensitive_text = reviews.article_sensitive_passages(article)
            candidate.reviewed_sensitive_text = article.reviewed_sensitive_text
        passages = reviews.article_sensitive_passages(candidate, faqs)
        if status == Article.Status.PUBLISHED:
            self._check_publishing(article, candidate, passages, faqs)
        return cleaned_data

    def _rows(self, prefix: str, fields: list[str]) -> list[dict[str, str]]:
        if not self.is_bound:
            return []
        if f"{prefix}-TOTAL_FORMS" not in self.data and self.instance.pk:
            if prefix == "faqs":
                return [
                    {"question": f.question, "answer": f.answer} for f in self.instance.faqs.all()
                ]
            return [{"citation": r.citation} for r in self.instance.references.all()]
        return _formset_rows(self.data, prefix, fields)

    def _check_edit_token(self, article: Article) -> bool:
        current = (
            Article.objects.select_for_update()
            .filter(pk=article.pk)
            .values_list("edit_token", "modified_at")
            .first()
        )
        if current is None or self.cleaned_data.get("edit_token_seen") == current[0]:
            return True
        token, modified_at = current
        latest = Version.objects.get_for_object(article).select_related("revision__user").first()
        who = ""
        if latest and latest.revision.user:
            who = f" by {latest.revision.user.get_username()}"
        when = formats.date_format(timezone.localtime(modified_at), "DATETIME_FORMAT")
        # The next save from this page is a deliberate one: carry the current token.
        data = self.data.copy()
        data[self.add_prefix("edit_token_seen")] = str(token)
        self.data = data
        self.add_error(
            None,
            f"This article was changed{who} at {when}, after you opened it. Nothing was "
            "saved, so their changes are safe. Your text is still in the form below: "
            "compare it with the latest version (History), then save again to replace it.",
        )
        return False

    def _check_publishing(self, article, candidate, passages, faqs) -> None:
        was_published = article.pk and article.status == Article.Status.PUBLISHED
        # A revert (articles/reverting.py) has already written the old text to
        # the row: compare with the text as it stood before the revert.
        stored = getattr(article, "passages_before_revert", None)
        if stored is None and was_published:
            stored = reviews.article_sensitive_passages(article)
        sensitive_edit = not was_published or passages != stored
        problems = []
        if sensitive_edit:
            problems += publishing.review_problems(candidate, passages=passages)
        reference_count = len(self._rows("references", ["citation"]))
        # The submitted text: candidate.body_html is still the stored, previous body.
        check_results = checks.run_checks_on_text(
            candidate, faqs=faqs, reference_count=reference_count
        )
        problems += publishing.check_problems(check_results)
        if not problems:
            return
        reason = self.cleaned_data.get("override_reason", "").strip()
        overridable = all(problem.overridable for problem in problems)
        if overridable and reason and self._can("override_review_rules"):
            self.publish_override = (reason, problems)
            return
        message = "This article cannot be published yet. " + publishing.describe(problems)
        if overridable and self._can("override_review_rules"):
            message += (
                " To publish anyway, open “Publish anyway” below Publishing and give your "
                "reason in “Reason to publish anyway”."
            )
        elif overridable:
            message += " Save it as “In review” and ask a medical reviewer or an editor."
        self.add_error(None, message)


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


class ArticleWorkflowAdmin(VersionAdmin):
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

    # History ---------------------------------------------------------------

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
