"""The editors' admin for the vocabularies listings are described with."""

from django.contrib import admin
from django.db.models import Count

from ..models import (
    AgeGroup,
    Approach,
    Community,
    Faith,
    InsurancePlan,
    Language,
    Region,
    Specialty,
)


def _is_changelist(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return bool(match and match.url_name and match.url_name.endswith("_changelist"))


class VocabularyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "listing_count"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not _is_changelist(request):
            # Autocomplete asks on every keystroke; it needs no counts.
            return queryset
        return queryset.annotate(_listing_count=Count("therapists"))

    @admin.display(description="listings", ordering="_listing_count")
    def listing_count(self, obj):
        return obj._listing_count


@admin.register(Specialty)
class SpecialtyAdmin(VocabularyAdmin):
    autocomplete_fields = ["article_categories"]
    fields = ["name", "slug", "description", "article_categories"]


@admin.register(Approach)
class ApproachAdmin(VocabularyAdmin):
    pass


@admin.register(Language)
class LanguageAdmin(VocabularyAdmin):
    pass


@admin.register(Faith)
class FaithAdmin(VocabularyAdmin):
    pass


@admin.register(AgeGroup)
class AgeGroupAdmin(VocabularyAdmin):
    pass


@admin.register(InsurancePlan)
class InsurancePlanAdmin(VocabularyAdmin):
    pass


@admin.register(Region)
class RegionAdmin(VocabularyAdmin):
    pass


@admin.register(Community)
class CommunityAdmin(VocabularyAdmin):
    list_display = ["name", "slug", "works_with_count", "identifies_count"]

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request)
        if not _is_changelist(request):
            return queryset
        # Two separate relations: count each without multiplying the other.
        return queryset.annotate(
            _works_with=Count("therapists_serving", distinct=True),
            _identifies=Count("therapists_identifying", distinct=True),
        ).order_by("name")

    @admin.display(description="works with", ordering="_works_with")
    def works_with_count(self, obj):
        return obj._works_with

    @admin.display(description="identifies as", ordering="_identifies")
    def identifies_count(self, obj):
        return obj._identifies
