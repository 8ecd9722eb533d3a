"""The base of every app's sitemaps. mhsite/urls.py holds the ``sitemaps`` dict."""

from django.contrib.sitemaps import Sitemap

from .site import site_domain, site_scheme


class SiteUrlSitemap(Sitemap):
    """Locations on ``settings.SITE_URL``, the same addresses as the pages' canonical links."""

    def get_protocol(self, protocol=None):
        return site_scheme()

    def get_domain(self, site=None):
        return site_domain()
