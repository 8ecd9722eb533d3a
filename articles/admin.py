"""The editors' admin: articles with their FAQs, references and related links,
categories and contributors.

Markdown fields use markdownx's admin widget, whose live preview calls our
staff-only endpoint and the site's one sanitizing renderer. Uploaded images are
re-encoded (articles/uploads.py) before they are stored.
"""

from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminTextareaWidget
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models import Count
from django.utils.text import slugify
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from mhsite.admin_saves import KeepInputOnFailedSaveMixin

from . import publishing, reviews
from .models import (
    FAQ,
    Article,
    Category,
    Contributor,
    Reference,
    RelatedArticle,
    ReviewState,
)
from .uploads import ImageRejected, clean_image_file
from .workflow_admin import ArticleWorkflowAdmin

MARKDOWN_WIDGETS = {MarkdownxField: {"widget": AdminMarkdownxWidget}}


def _reencoded_upload(form: forms.ModelForm, field_name: str):
    """A newly uploaded image, re-encoded and renamed; other values unchanged."""
    value = form.cleaned_data.get(field_name)
    if not isinstance(value, UploadedFile):
        return value
    basename = slugify(Path(value.name).stem)[:80] or None
    try:
        return clean_image_file(value, basename=basename)
    except ImageRejected as exc:
        raise forms.ValidationError(str(exc)) from None


# Articles -------------------------------------------------------------------


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        # The ModelAdmin's fieldsets choose the fields.
        fields = "__all__"  # noqa: DJ007

    def clean_image(self):
        return _reencoded_upload(self, "image")


class FAQInline(admin.StackedInline):
    model = FAQ
    fields = ["question", "answer", "order"]
    formfield_overrides = MARKDOWN_WIDGETS
    extra = 1

    class Media:
        # Gives FAQ rows added with "Add another" the live preview too.
        js = ["articles/admin/markdownx_inlines.js"]


class ReferenceInline(admin.TabularInline):
    model = Reference
    fields = ["citation", "url", "order"]
    # A citation is a line or two, not a full-height text area.
    formfield_overrides = {models.TextField: {"widget": AdminTextareaWidget(attrs={"rows": 2})}}
    extra = 1


class RelatedArticleForm(forms.ModelForm):
    class Meta:
        model = RelatedArticle
        fields = ["target", "order"]

    def clean(self):
        cleaned_data = super().clean()
        target = cleaned_data.get("target")
        # The inline formset sets article_id on the instance before validation;
        # the database constraint would otherwise surface as a server error.
        if target and self.instance.article_id and target.pk == self.instance.article_id:
            self.add_error("target", "An article cannot be related to itself.")
        return cleaned_data


class RelatedArticleInline(admin.TabularInline):
    model = RelatedArticle
    form = RelatedArticleForm
    fk_name = "article"
    fields = ["target", "order"]
    autocomplete_fields = ["target"]
    extra = 0
    verbose_name = "related article"
    verbose_name_plural = "related articles (shown as “Additional posts”, in this order)"


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
            {"fields": ["status", "published_at", "categories", "author", "modified_at"]},
        ),
        (
            "Medical review",
            {"fields": ["assigned_reviewer", "reviewer", "last_reviewed", "next_review_due"]},
        ),
    ]
    readonly_fields = ["modified_at"]
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
    actions = ["publish", "mark_reviewed_today"]
    # Staff may preview drafts: the public detail view shows them to staff.
    view_on_site = True

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

    def has_review_permission(self, request):
        return reviews.can_record_reviews(request.user)

    @admin.action(description="Mark reviewed today", permissions=["review"])
    def mark_reviewed_today(self, request, queryset):
        # A review is signed by the reviewer who does it (articles/reviews.py):
        # the action records an approved full review in the user's name.
        try:
            reviewer = reviews.reviewer_profile(request.user)
        except reviews.ReviewError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        reviewed = 0
        for article in queryset:
            review = reviews.record_review(
                article,
                reviewer=reviewer,
                user=request.user,
                notes="Marked reviewed today with the admin action.",
            )
            self.log_change(
                request,
                article,
                f"Medical review recorded by {reviewer.name_with_credentials} "
                f"(review #{review.pk}).",
            )
            reviewed += 1
        self.message_user(
            request,
            f"Recorded a full medical review by {reviewer.name_with_credentials} for "
            f"{reviewed} article(s); the next review dates follow each article's review interval.",
            messages.SUCCESS,
        )


# Categories and contributors ------------------------------------------------


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        # Counting makes a GROUP BY query, which ignores Meta.ordering.
        return (
            super()
            .get_queryset(request)
            .annotate(_article_count=Count("articles"))
            .order_by(*Category._meta.ordering)
        )

    @admin.display(description="articles", ordering="_article_count")
    def article_count(self, category):
        return category._article_count


class ContributorAdminForm(forms.ModelForm):
    class Meta:
        model = Contributor
        # The ModelAdmin's fieldsets choose the fields.
        fields = "__all__"  # noqa: DJ007

    def clean_photo(self):
        return _reencoded_upload(self, "photo")


@admin.register(Contributor)
class ContributorAdmin(admin.ModelAdmin):
    form = ContributorAdminForm
    list_display = ["name", "credentials", "slug"]
    search_fields = ["name", "credentials"]
    prepopulated_fields = {"slug": ["name"]}
