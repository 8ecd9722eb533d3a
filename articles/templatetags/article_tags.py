"""Template filters for article pages.

They post-process HTML that was rendered and sanitized on save; each is a
single cheap pass, so public requests still never run Markdown.
"""

import html
import re

from django import template
from django.utils.safestring import SafeString, mark_safe

from articles.seo import json_for_script

register = template.Library()

# body_html comes out of the sanitizer's serializer, so headings look exactly
# like <h2 id="...">...</h2>, with the id attribute-escaped and nothing else.
_SECTION_HEADING = re.compile(r'<(h[23]) id="([^"<>]+)">(.*?)</\1>', re.DOTALL)


def _with_anchor(match: re.Match) -> str:
    tag, anchor_id, content = match.groups()
    return (
        f'<{tag} id="{anchor_id}">{content} '
        f'<a class="heading-anchor" href="#{anchor_id}" aria-label="Link to this section">#</a>'
        f"</{tag}>"
    )


@register.filter(is_safe=True)
def heading_anchors(body_html: str) -> SafeString:
    """Add a visible "#" link to every ``##``/``###`` heading of sanitized body HTML."""
    return mark_safe(_SECTION_HEADING.sub(_with_anchor, body_html or ""))  # noqa: S308


@register.filter
def toc_label(name: str) -> str:
    """A table-of-contents entry as plain text (Markdown stores it entity-escaped).

    Returned unsafe, so autoescaping applies once instead of twice.
    """
    return html.unescape(name or "")


@register.filter
def jsonld(data: object) -> SafeString:
    """``data`` as JSON safe to place inside ``<script type="application/ld+json">``."""
    return mark_safe(json_for_script(data))  # noqa: S308
