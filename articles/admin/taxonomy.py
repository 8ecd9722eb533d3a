"""The admin of categories, contributors and the editorial pages."""

from django.contrib import admin
from django.db.models import Count

from .. import contributors
from ..models import Category, Contributor, EditorialPage
from .inlines import MARKDOWN_WIDGETS

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


@admin.register(Contributor)
class ContributorAdmin(admin.ModelAdmin):
    list_display = ["name", "credentials", "slug", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "credentials"]
    prepopulated_fields = {"slug": ["name"]}

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not contributors.can_link_users(request.user):
            readonly.append("user")
        return readonly

    def save_model(self, request, obj, form, change):
        # The login link goes through its service (permission check, history);
        # the rest of the profile saves as usual.
        linking = "user" in form.changed_data
        if not linking:
            super().save_model(request, obj, form, change)
            return
        login = obj.user
        obj.user = Contributor.objects.get(pk=obj.pk).user if change else None
        super().save_model(request, obj, form, change)
        contributors.link_user(obj, login, by=request.user)


# Editorial pages ---------------------------------------------------------------


@admin.register(EditorialPage)
class EditorialPageAdmin(admin.ModelAdmin):
    """Editors rewrite the pages; they cannot add or delete them (the site links to each)."""

    formfield_overrides = MARKDOWN_WIDGETS
    list_display = ["title", "key", "last_reviewed", "updated_at"]
    fields = ["title", "body", "last_reviewed"]
    view_on_site = True

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
