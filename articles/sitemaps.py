"""Sitemaps. mhsite/urls.py holds the ``sitemaps`` dict; other apps add theirs there.

``SiteUrlSitemap`` builds locations from ``settings.SITE_URL`` so the sitemap
names the same addresses as the pages' canonical links.
"""

from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from mhsite.siteurl import site_url

from .models import Article, Category, Contributor


class SiteUrlSitemap(Sitemap):
    def get_protocol(self, protocol=None):
        return urlsplit(site_url()).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(site_url()).netloc


class StaticPagesSitemap(SiteUrlSitemap):
    def items(self):
        return ["articles:home", "articles:list", "articles:how_we_review"]

    def location(self, item):
        return reverse(item)


class ArticleSitemap(SiteUrlSitemap):
    def items(self):
        return Article.objects.published().order_by("pk")

    def lastmod(self, item):
        return item.modified_at


class CategorySitemap(SiteUrlSitemap):
    def items(self):
        return Category.objects.with_published_articles().order_by("pk")


class ContributorSitemap(SiteUrlSitemap):
    def items(self):
        return Contributor.objects.with_published_work().order_by("pk")
