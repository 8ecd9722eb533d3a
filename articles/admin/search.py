"""Admin pages for search: synonyms, crisis terms and the zero-result report."""

from django.conf import settings
from django.contrib import admin

from ..search.models import CrisisTerm, SearchSynonym, ZeroResultQuery


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    list_display = ["terms", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["terms"]


@admin.register(CrisisTerm)
class CrisisTermAdmin(admin.ModelAdmin):
    list_display = ["phrase", "created_at"]
    search_fields = ["phrase"]


@admin.register(ZeroResultQuery)
class ZeroResultQueryAdmin(admin.ModelAdmin):
    """What readers searched for and did not find, per week, once it is not a one-off."""

    list_display = ["query", "week", "count"]
    date_hierarchy = "week"
    search_fields = ["query"]
    readonly_fields = ["query", "week", "count"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).filter(count__gte=settings.SEARCH_ZERO_RESULT_MIN_COUNT)
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
