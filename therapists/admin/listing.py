"""The editors' admin for therapist listings.

The changelist is built around the two claims that go stale: availability
(and when it was last confirmed) and licence status (and when it was last
verified). The "needs checking" filter and the "... today" actions are the
editors' daily round.
"""

from django.contrib import admin, messages
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from mhsite.admin_saves import KeepInputOnFailedSaveMixin

from ..models import OutdatedInfoReport, Therapist
from .listing_filters import NeedsCheckFilter, SessionFormatFilter
from .reports import OutdatedInfoReportInline


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
