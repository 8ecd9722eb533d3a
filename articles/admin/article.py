"""The editors' admin of articles (their inlines are in ``inlines``; categories,
contributors and editorial pages in ``taxonomy``).

Markdown fields use markdownx's admin widget, whose live preview calls our
staff-only endpoint and the site's one sanitizing renderer. Uploaded images are
re-encoded (mhsite/images.py, by the model fields) before they are stored.
"""

from django import forms
from django.contrib import admin, messages

from mhsite.admin_saves import KeepInputOnFailedSaveMixin

from .. import publishing, reviews, signing, updates
from ..models import Article, ReviewState
from .inlines import MARKDOWN_WIDGETS, FAQInline, ReferenceInline, RelatedArticleInline
from .workflow import ArticleWorkflowAdmin


class ArticleAdminForm(forms.ModelForm):
    substantive_update = forms.BooleanField(
        label="This is a substantive update",
        required=False,
        help_text=(
            "Tick when this save changes what the article tells readers: they see "
            "“Updated” with today's date. Leave it for typo fixes and small edits."
        ),
    )

    request = None  # set by the admin (articles/admin/workflow.py)

    class Meta:
        model = Article
        # The ModelAdmin's fieldsets choose the fields.
        fields = "__all__"  # noqa: DJ007

    def clean_substantive_update(self):
        wanted = self.cleaned_data.get("substantive_update", False)
        if wanted and self.request is not None:
            try:
                updates.check_can_mark(self.request.user, self.instance)
            except updates.UpdateRefused as exc:
                raise forms.ValidationError(str(exc)) from None
        return wanted


class ReviewStateFilter(admin.SimpleListFilter):
    """Filter by medical-review state, using the same queryset methods as the site."""

    title = "review state"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            (ReviewState.OVERDUE, ReviewState.OVERDUE.label),
            (ReviewState.DUE_SOON, ReviewState.DUE_SOON.label),
            (ReviewState.CURRENT, ReviewState.CURRENT.label),
            (ReviewState.NEVER, ReviewState.NEVER.label),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == ReviewState.NEVER:
            return queryset.never_reviewed()
        # Articles never reviewed count as "never", whatever their due date says.
        reviewed = queryset.filter(last_reviewed__isnull=False)
        if value == ReviewState.OVERDUE:
            return reviewed.overdue()
        if value == ReviewState.DUE_SOON:
            return reviewed.due_soon()
        if value == ReviewState.CURRENT:
            return reviewed.review_current()
        return queryset


@admin.register(Article)
class ArticleAdmin(KeepInputOnFailedSaveMixin, ArticleWorkflowAdmin):
    form = ArticleAdminForm
    formfield_overrides = MARKDOWN_WIDGETS
    inlines = [FAQInline, ReferenceInline, RelatedArticleInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        ("Image", {"fields": ["image", "image_alt", "image_credit", "image_credit_url"]}),
        (
            "Publishing",
            {
                "fields": [
                    "status",
                    "published_at",
                    "categories",
                    "author",
                    "substantive_update",
                    "last_substantive_update",
                    "modified_at",
                ]
            },
        ),
        (
            "Medical review",
            {"fields": ["assigned_reviewer", "reviewer", "last_reviewed", "next_review_due"]},
        ),
    ]
    readonly_fields = ["last_substantive_update", "modified_at"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["categories", "author", "assigned_reviewer"]

    list_display = [
        "title",
        "status",
        "author",
        "assigned_reviewer",
        "reviewer",
        "last_reviewed",
        "next_review_due",
        "review_state_label",
    ]
    list_filter = ["status", ReviewStateFilter, "categories"]
    list_select_related = ["author", "assigned_reviewer", "reviewer"]
    search_fields = ["title", "summary", "body"]
    date_hierarchy = "published_at"
    actions = ["publish", "mark_reviewed_today", "mark_substantive_update"]
    # Staff may preview drafts: the public detail view shows them to staff.
    view_on_site = True

    class Media:
        # A refused image upload says why instead of inserting "Invalid response".
        js = ["articles/admin/markdownx_upload_errors.js"]

    @admin.display(description="review state", ordering="next_review_due")
    def review_state_label(self, article):
        return article.get_review_state_display()

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    @admin.action(description="Publish selected articles", permissions=["publish"])
    def publish(self, request, queryset):
        published, refused = 0, []
        # One article at a time through the shared publishing rules (review
        # current, content checks): save() keeps published_at, the rendered HTML
        # and the history right, which a bulk update() would not.
        for article in queryset.exclude(status=Article.Status.PUBLISHED):
            problems = publishing.publish(article, request.user)
            if problems:
                refused.append(f"“{article.title}”: {publishing.describe(problems)}")
                continue
            self.log_change(request, article, "Published with the “publish” action.")
            published += 1
        if published:
            self.message_user(request, f"Published {published} article(s).", messages.SUCCESS)
        for reason in refused:
            self.message_user(request, f"Not published: {reason}", messages.WARNING)
        if not published and not refused:
            self.message_user(request, "The selected articles were already published.")

    def save_model(self, request, obj, form, change):
        if form.cleaned_data.get("substantive_update"):
            # Set before the save, so the date is part of this save's revision.
            updates.mark_substantive_update(obj, request.user, save=False)
        super().save_model(request, obj, form, change)

    @admin.action(
        description="This is a substantive update (readers see “Updated” today)",
        permissions=["change"],
    )
    def mark_substantive_update(self, request, queryset):
        marked, refused = 0, []
        for article in queryset:
            try:
                on = updates.mark_substantive_update(article, request.user)
            except updates.UpdateRefused as exc:
                refused.append(f"“{article.title}”: {exc}")
                continue
            self.log_change(request, article, f"Marked as a substantive update on {on}.")
            marked += 1
        if marked:
            message = f"Marked {marked} article(s) as substantively updated today."
            self.message_user(request, message, messages.SUCCESS)
        for reason in refused:
            self.message_user(request, f"Not marked: {reason}", messages.WARNING)

    def has_review_permission(self, request):
        return signing.can_record_reviews(request.user)

    @admin.action(description="Mark reviewed today", permissions=["review"])
    def mark_reviewed_today(self, request, queryset):
        # A review is signed by the reviewer who does it (articles/signing.py):
        # the action records an approved full review in the user's name, one
        # article at a time through the same rules as the review form.
        try:
            reviewer = signing.reviewer_profile(request.user)
        except signing.ReviewError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        reviewed = 0
        for article in queryset:
            try:
                review = reviews.record_review(
                    article,
                    reviewer=reviewer,
                    user=request.user,
                    notes="Marked reviewed today with the admin action.",
                )
            except signing.ReviewError as exc:
                self.message_user(request, f"Not recorded: {exc}", messages.ERROR)
                continue
            self.log_change(
                request,
                article,
                f"Medical review recorded by {reviewer.name_with_credentials} "
                f"(review #{review.pk}).",
            )
            reviewed += 1
        if reviewed:
            self.message_user(
                request,
                f"Recorded a full medical review by {reviewer.name_with_credentials} for "
                f"{reviewed} article(s); the next review dates follow each article's review "
                "interval.",
                messages.SUCCESS,
            )
