"""The editors' admin for therapist listings and readers' reports.

The changelist is built around the two claims that go stale: availability
(and when it was last confirmed) and licence status (and when it was last
verified). The "needs checking" filter and the "... today" actions are the
editors' daily round.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from mhsite.admin_saves import KeepInputOnFailedSaveMixin

from ..models import (
    OutdatedInfoReport,
    Therapist,
    availability_check_due,
    licence_check_due,
)

# Therapists ------------------------------------------------------------------


class ConditionFilter(admin.SimpleListFilter):
    """A list filter whose choices are plain WHERE conditions.

    Facet counts become one ``COUNT(*) FILTER (WHERE ...)`` per choice in a
    single aggregate, instead of the default ``pk IN (subquery)`` per choice,
    which is slow on a large directory.
    """

    def conditions(self) -> dict[str, Q]:
        raise NotImplementedError

    def queryset(self, request, queryset):
        condition = self.conditions().get(self.value())
        return queryset if condition is None else queryset.filter(condition)

    def get_facet_counts(self, pk_attname, filtered_qs):
        conditions = self.conditions()
        return {
            f"{index}__c": Count(pk_attname, filter=conditions[lookup])
            for index, (lookup, _) in enumerate(self.lookup_choices)
        }


class SessionFormatFilter(ConditionFilter):
    title = "session format"
    parameter_name = "format"

    def lookups(self, request, model_admin):
        return [
            ("in_person", "In person"),
            ("online", "Online (video/phone)"),
            ("both", "Both"),
            ("none", "Neither set"),
        ]

    def conditions(self) -> dict[str, Q]:
        return {
            "in_person": Q(in_person=True),
            "online": Q(online=True),
            "both": Q(in_person=True, online=True),
            "none": Q(in_person=False, online=False),
        }


class NeedsCheckFilter(ConditionFilter):
    """Listings whose claims editors should re-check (the "stale" filter)."""

    title = "needs checking"
    parameter_name = "stale"

    def lookups(self, request, model_admin):
        days = settings.THERAPIST_AVAILABILITY_CHECK_DAYS
        months = settings.THERAPIST_LICENCE_CHECK_MONTHS
        return [
            ("any", "Availability or licence"),
            ("availability", f"Availability not confirmed in {days} days"),
            ("licence", f"Licence not verified in {months} months"),
        ]

    def conditions(self) -> dict[str, Q]:
        today = timezone.localdate()
        availability = availability_check_due(today)
        licence = licence_check_due(today)
        return {"any": availability | licence, "availability": availability, "licence": licence}


class OutdatedInfoReportInline(admin.TabularInline):
    model = OutdatedInfoReport
    fields = ["created_at", "problem", "details", "reporter_email", "status"]
    readonly_fields = ["created_at", "problem", "details", "reporter_email"]
    extra = 0
    can_delete = False
    verbose_name_plural = "reports of outdated information"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Therapist)
class TherapistAdmin(KeepInputOnFailedSaveMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "location",
        "availability",
        "availability_confirmed_on",
        "licence_status",
        "licence_verified_on",
        "open_reports",
        "is_published",
    ]
    list_filter = [
        NeedsCheckFilter,
        "availability",
        "licence_status",
        SessionFormatFilter,
        "region",
        "is_published",
    ]
    show_facets = admin.ShowFacets.ALWAYS
    search_fields = ["name", "practice_name", "city", "licence_number"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = [
        "specialties",
        "approaches",
        "languages",
        "faiths",
        "age_groups",
        "communities_served",
        "communities_identifies",
        "insurance_plans",
        "telehealth_regions",
    ]
    readonly_fields = ["created_at", "modified_at"]
    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}
    inlines = [OutdatedInfoReportInline]
    actions = ["licence_verified_today", "availability_confirmed_today", "publish", "unpublish"]
    list_per_page = 50
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("name", "slug"),
                    "pronouns",
                    ("professional_title", "credentials"),
                    ("photo", "photo_alt"),
                    "is_published",
                ]
            },
        ),
        (
            "Availability",
            {"fields": [("availability", "availability_confirmed_on")]},
        ),
        (
            "Licence",
            {
                "fields": [
                    ("licence_type", "licence_number", "licence_jurisdiction"),
                    ("licence_status", "licence_verified_on"),
                    "licence_source_url",
                ]
            },
        ),
        ("About", {"fields": ["bio", "specialties", "approaches", "age_groups", "languages"]}),
        (
            "Location and session formats",
            {
                "fields": [
                    "practice_name",
                    "address_line",
                    ("city", "region", "postal_code", "country"),
                    ("latitude", "longitude"),
                    ("in_person", "online"),
                    "telehealth_regions",
                ]
            },
        ),
        (
            "Fees and insurance",
            {"fields": [("fee_min", "fee_max", "sliding_scale"), "insurance_plans", "superbills"]},
        ),
        ("Contact", {"fields": ["website", "email", "phone"]}),
        (
            "Identity and communities (opt-in: only what the therapist chose to share)",
            {
                "fields": [
                    ("gender_identity", "gender"),
                    "communities_identifies",
                    "communities_served",
                    "faiths",
                ]
            },
        ),
        ("Record", {"fields": [("created_at", "modified_at")]}),
    ]

    def get_queryset(self, request):
        # A subquery, not a join with COUNT: the changelist's count and facet
        # queries drop an unused subquery, but would have to GROUP BY a join.
        open_reports = (
            OutdatedInfoReport.objects.filter(
                therapist=OuterRef("pk"), status=OutdatedInfoReport.Status.NEW
            )
            .order_by()
            .values("therapist")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(_open_reports=Coalesce(Subquery(open_reports), 0))
        )

    @admin.display(description="city / region", ordering="city")
    def location(self, obj):
        return ", ".join(part for part in (obj.city, obj.region) if part) or "—"

    @admin.display(description="open reports", ordering="_open_reports")
    def open_reports(self, obj):
        if not obj._open_reports:
            return 0
        url = reverse("admin:therapists_outdatedinforeport_changelist")
        return format_html(
            '<a href="{}?therapist__id__exact={}&amp;status__exact=new">{}</a>',
            url,
            obj.pk,
            obj._open_reports,
        )

    def _stamp(self, request, queryset, message: str, **values) -> None:
        # Bulk update() skips save(); set the modified stamp ourselves.
        count = queryset.update(modified_at=timezone.now(), **values)
        self.message_user(request, message.format(count=count), messages.SUCCESS)

    @admin.action(description="Licence verified today", permissions=["change"])
    def licence_verified_today(self, request, queryset):
        self._stamp(
            request,
            queryset,
            "Marked the licence of {count} listing(s) as verified today.",
            licence_verified_on=timezone.localdate(),
        )
        unverified = queryset.filter(licence_status=Therapist.LicenceStatus.UNVERIFIED).count()
        if unverified:
            self.message_user(
                request,
                f"{unverified} of them still have the status “not yet verified”: "
                "set the status you found in the register on each listing.",
                messages.WARNING,
            )

    @admin.action(description="Availability confirmed today", permissions=["change"])
    def availability_confirmed_today(self, request, queryset):
        self._stamp(
            request,
            queryset,
            "Marked the availability of {count} listing(s) as confirmed today.",
            availability_confirmed_on=timezone.localdate(),
        )

    @admin.action(description="Publish", permissions=["change"])
    def publish(self, request, queryset):
        self._stamp(request, queryset, "Published {count} listing(s).", is_published=True)

    @admin.action(description="Unpublish", permissions=["change"])
    def unpublish(self, request, queryset):
        self._stamp(request, queryset, "Unpublished {count} listing(s).", is_published=False)


# Reports ---------------------------------------------------------------------


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
