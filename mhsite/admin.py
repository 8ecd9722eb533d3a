from django.contrib import admin
from django.utils.text import Truncator

from .models import PurgeFailure


@admin.register(PurgeFailure)
class PurgeFailureAdmin(admin.ModelAdmin):
    """Read-only: failures are written by mhsite.purge, and deleted once dealt with."""

    list_display = ["created_at", "backend", "tag_summary", "attempts", "error_summary"]
    list_filter = ["backend"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "backend", "tags", "error", "attempts"]

    @admin.display(description="tags")
    def tag_summary(self, obj):
        return Truncator(obj.tags).chars(80)

    @admin.display(description="error")
    def error_summary(self, obj):
        return Truncator(obj.error).chars(120)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
