from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from articles.sitemaps import (
    ArticleSitemap,
    CategorySitemap,
    ContributorSitemap,
    StaticPagesSitemap,
)
from mhsite.health import healthz
from therapists.sitemaps import FinderSitemap, TherapistSitemap

# One line per section of /sitemap.xml; other apps add theirs here.
sitemaps = {
    "pages": StaticPagesSitemap,
    "articles": ArticleSitemap,
    "categories": CategorySitemap,
    "contributors": ContributorSitemap,
    "finder": FinderSitemap,
    "therapists": TherapistSitemap,
}

# The admin names the site it runs, not "Django administration".
admin.site.site_header = f"{settings.SITE_NAME} administration"
admin.site.site_title = f"{settings.SITE_NAME} admin"
admin.site.index_title = "Content and directory"

# A database outage anywhere in the stack answers the friendly 503 page.
handler500 = "mhsite.errors.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots_txt",
    ),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("admin/", admin.site.urls),
    path("markdownx/", include("articles.markdownx_urls")),
    path("therapists/", include("therapists.urls")),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
