from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from mhsite.health import healthz

# A database outage anywhere in the stack answers the friendly 503 page.
handler500 = "mhsite.errors.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("markdownx/", include("articles.markdownx_urls")),
    path("therapists/", include("therapists.urls")),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
