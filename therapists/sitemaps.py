from django.urls import reverse

from mhsite.sitemaps import SiteUrlSitemap

from .models import Therapist


class FinderSitemap(SiteUrlSitemap):
    def items(self):
        return ["therapists:finder"]

    def location(self, item):
        return reverse(item)


class TherapistSitemap(SiteUrlSitemap):
    """Every listed profile; unpublished listings never appear."""

    def items(self):
        return Therapist.objects.listed().order_by("pk").only("slug", "modified_at")

    def lastmod(self, item):
        return item.modified_at
