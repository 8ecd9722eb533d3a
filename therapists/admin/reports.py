"""Readers' reports of outdated information, in the admin.

Editors see a listing's reports inline on it and work through all of them in
their own changelist; readers file them through the form on the profile page.
"""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from ..models import OutdatedInfoReport


class OutdatedInfoReportInline(admin.TabularInline):
    model = OutdatedInfoReport
    fields = ["created_at", "problem", "details", "reporter_email", "status"]
    readonly_fields = ["created_at", "problem", "details", "reporter_email"]
    extra = 0
    can_delete = False
    verbose_name_plural = "reports of outdated information"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(OutdatedInfoReport)
class OutdatedInfoReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "therapist_link", "problem", "short_details", "status"]
    list_filter = ["status", "problem"]
    show_facets = admin.ShowFacets.ALWAYS
    list_select_related = ["therapist"]
    search_fields = ["therapist__name", "details"]
    fields = [
        "therapist_link",
        "problem",
        "details",
        "reporter_email",
        "status",
        "resolved_at",
        "created_at",
        "ip_hash",
    ]
    readonly_fields = [
        "therapist_link",
        "problem",
        "details",
        "reporter_email",
        "resolved_at",
        "created_at",
        "ip_hash",
    ]
    actions = ["mark_resolved"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        # Reports come from readers, through the form on the profile page.
        return False

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data:
            resolved = obj.status == OutdatedInfoReport.Status.RESOLVED
            obj.resolved_at = timezone.now() if resolved else None
        super().save_model(request, obj, form, change)

    @admin.display(description="therapist", ordering="therapist__name")
    def therapist_link(self, obj):
        url = reverse("admin:therapists_therapist_change", args=[obj.therapist_id])
        return format_html('<a href="{}">{}</a>', url, obj.therapist.name)

    @admin.display(description="details")
    def short_details(self, obj):
        return obj.details if len(obj.details) <= 80 else obj.details[:79] + "…"

    @admin.action(description="Mark as resolved", permissions=["change"])
    def mark_resolved(self, request, queryset):
        count = queryset.filter(status=OutdatedInfoReport.Status.NEW).update(
            status=OutdatedInfoReport.Status.RESOLVED, resolved_at=timezone.now()
        )
        self.message_user(request, f"Marked {count} report(s) as resolved.", messages.SUCCESS)
