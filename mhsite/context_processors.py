from django.conf import settings

from .siteurl import site_url


def site(request):
    """Site-wide values every template may show."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": site_url(),
        "CRISIS_SUPPORT_TEXT": settings.CRISIS_SUPPORT_TEXT,
        "CRISIS_SUPPORT_URL": settings.CRISIS_SUPPORT_URL,
        "CRISIS_SUPPORT_LINK_TEXT": settings.CRISIS_SUPPORT_LINK_TEXT,
    }
