"""The one Markdown renderer of the site.

Every piece of editor-written Markdown (article bodies, FAQ answers, therapist
bios) and django-markdownx's live preview go through ``render_markdown``, so
the preview shows exactly what readers will get. Output is sanitized with nh3
against an explicit allowlist: Markdown allows raw HTML, and editors' accounts
can be compromised, so nothing an editor types may become script.
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

import markdown
import nh3
from django.conf import settings
from django.utils.text import slugify

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div",
    "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr",
    "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small",
    "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u", "ul",
}  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "ol": {"start"},
}

# Links may point anywhere on the web or to an email address; never to
# javascript:, data:, vbscript: or other schemes.
LINK_SCHEMES = {"http", "https", "mailto"}

# Script-like elements are removed with their content, not unwrapped.
CLEAN_CONTENT_TAGS = {"script", "style", "iframe", "object", "embed", "noscript", "template"}

MARKDOWN_EXTENSIONS = ["extra", "sane_lists", "toc"]


def _allowed_image_hosts() -> set[str]:
    return set(getattr(settings, "MARKDOWN_IMAGE_HOSTS", []))


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    """Restrict images to our own media/static files or allowlisted hosts."""
    if element == "img" and attribute == "src":
        parts = urlsplit(value)
        if parts.scheme in ("", None) and not parts.netloc:
            # A relative URL on our own origin (media uploads, static files).
            return value if value.startswith("/") else None
        if parts.scheme == "https" and parts.hostname in _allowed_image_hosts():
            return value
        return None
    return value


def sanitize_html(html: str) -> str:
    """Clean an HTML fragment against the site's allowlist."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=CLEAN_CONTENT_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes=LINK_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def _markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=MARKDOWN_EXTENSIONS,
        extension_configs={
            "toc": {
                # Anchors a reader can link to, shown on hover/focus by CSS.
                "permalink": False,
                "slugify": lambda value, separator: slugify(value) or "section",
                "toc_depth": "2-3",
            }
        },
        output_format="html",
    )


def render_markdown(text: str) -> str:
    """Markdown to sanitized HTML. Also markdownx's preview function."""
    return sanitize_html(_markdown().convert(text or ""))


@dataclass
class RenderedBody:
    html: str
    toc: list[dict] = field(default_factory=list)


def render_article_body(text: str) -> RenderedBody:
    """Render an article body and collect its table of contents.

    The table of contents lists the ``##`` sections (with their ``###``
    sub-sections nested), taken from the same pass that puts ids on the
    headings, so every entry's anchor exists in the HTML.
    """
    md = _markdown()
    html = sanitize_html(md.convert(text or ""))
    toc = [
        {
            "id": token["id"],
            "name": token["name"],
            "children": [
                {"id": child["id"], "name": child["name"]}
                for child in token.get("children", [])
                if child["level"] == 3
            ],
        }
        for token in getattr(md, "toc_tokens", [])
        if token["level"] == 2
    ]
    return RenderedBody(html=html, toc=toc)
