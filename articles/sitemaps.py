"""The articles' sitemaps. mhsite/urls.py holds the ``sitemaps`` dict."""

from django.urls import reverse

from mhsite.sitemaps import SiteUrlSitemap

from .models import Article, Category, Contributor


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
