from django import template
from django.conf import settings

from mhsite.site import absolute_url as _absolute_url

register = template.Library()


@register.filter
def absolute_url(url: str) -> str:
    """A site path as an absolute URL on ``settings.SITE_URL`` (for canonical/OG links)."""
    return _absolute_url(str(url))


@register.inclusion_tag("includes/crisis_note.html")
def crisis_note_from_settings() -> dict:
    """The crisis note for templates rendered without context processors (500.html)."""
    return {
        "CRISIS_SUPPORT_TEXT": settings.CRISIS_SUPPORT_TEXT,
        "CRISIS_SUPPORT_URL": settings.CRISIS_SUPPORT_URL,
        "CRISIS_SUPPORT_LINK_TEXT": settings.CRISIS_SUPPORT_LINK_TEXT,
    }
