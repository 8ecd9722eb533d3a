"""Admin pages of the medical review workflow.

Medical reviews (recorded, never edited or deleted), the editable medication
list, publish overrides and sent reminders (read-only), and the review queue:
articles overdue or due within 30 days, grouped by reviewer, with a one-click
"confirm still accurate" for reviewers.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from .. import review_queue, reviews
from ..models import Article, MedicationTerm, PublishOverride, ReminderLog, Review, ReviewQueue

CONFIRM_NOTE = "Confirmed still accurate from the review queue."


class ReviewForm(forms.ModelForm):
    request = None  # set by ReviewAdmin.get_form

    class Meta:
        model = Review
        fields = ["article", "reviewed_on", "scope", "outcome", "notes"]

    def clean(self):
        cleaned_data = super().clean()
        try:
            self.reviewer = reviews.reviewer_profile(self.request.user)
        except reviews.ReviewError as exc:
            raise forms.ValidationError(str(exc)) from None
        reviewed_on = cleaned_data.get("reviewed_on")
        if reviewed_on and reviewed_on > timezone.localdate():
            self.add_error("reviewed_on", "A review cannot be dated in the future.")
        return cleaned_data


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    form = ReviewForm
    list_display = ["article", "reviewed_on", "scope", "outcome", "reviewer", "reviewed_by_user"]
    list_filter = ["scope", "outcome", "reviewed_on"]
    list_select_related = ["article", "reviewer", "reviewed_by_user"]
    search_fields = ["article__title", "reviewer__name", "notes"]
    autocomplete_fields = ["article"]
    date_hierarchy = "reviewed_on"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [*ReviewForm.Meta.fields, "reviewer", "reviewed_by_user", "created_at"]
        return []

    def has_change_permission(self, request, obj=None):
        # A review is a signed record: correct it by recording another one.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.reviewer = form.reviewer
        obj.reviewed_by_user = request.user
        obj.save()
        reviews.apply_review(obj)


@admin.register(MedicationTerm)
class MedicationTermAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PublishOverride)
class PublishOverrideAdmin(ReadOnlyAdmin):
    list_display = ["article", "user", "created_at", "reason"]
    list_select_related = ["article", "user"]
    search_fields = ["article__title", "reason"]


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyAdmin):
    list_display = ["sent_on", "recipient", "kind", "article_count"]
    list_filter = ["kind", "sent_on"]


@admin.register(ReviewQueue)
class ReviewQueueAdmin(admin.ModelAdmin):
    """Not a model list: the review queue page, listed in the admin index."""

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.view_article")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        prefix = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        return [
            path("", self.admin_site.admin_view(self.queue_view), name=f"{prefix}_changelist"),
            path(
                "<int:article_id>/confirm/",
                self.admin_site.admin_view(self.confirm_view),
                name=f"{prefix}_confirm",
            ),
        ]

    def queue_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        groups = review_queue.queue_groups()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Review queue",
            "groups": groups,
            "total": sum(len(group.entries) for group in groups),
            "can_confirm": reviews.can_record_reviews(request.user),
            "confirm_note": CONFIRM_NOTE,
        }
        return TemplateResponse(request, "admin/articles/review_queue.html", context)

    @method_decorator(require_POST)
    def confirm_view(self, request, article_id):
        """One click: record an approved full review "still accurate", logged in the history."""
        if not reviews.can_record_reviews(request.user):
            raise PermissionDenied
        article = get_object_or_404(Article, pk=article_id)
        queue_url = reverse("admin:articles_reviewqueue_changelist")
        try:
            reviewer = reviews.reviewer_profile(request.user)
        except reviews.ReviewError as exc:
            messages.error(request, str(exc))
            return redirect(queue_url)
        note = (request.POST.get("note") or "").strip()[:2000]
        review = reviews.record_review(
            article,
            reviewer=reviewer,
            user=request.user,
            notes=f"{CONFIRM_NOTE} {note}".strip(),
        )
        self.log_change(
            request,
            article,
            f"Medical review recorded by {reviewer.name_with_credentials}: still accurate "
            f"(review #{review.pk}).",
        )
        messages.success(
            request,
            f"Recorded: “{article}” is still accurate. Next review due "
            f"{article.next_review_due:%d %B %Y}.",
        )
        return redirect(queue_url)
