"""The one Markdown renderer of the site.

Every piece of editor-written Markdown (article bodies, FAQ answers, therapist
bios) and django-markdownx's live preview go through ``render_markdown``, so
the preview shows exactly what readers will get. Output is sanitized with nh3
against an explicit allowlist: Markdown allows raw HTML, and editors' accounts
can be compromised, so nothing an editor types may become script.

It lives in ``mhsite`` and imports neither app, so articles, therapists and
markdownx share it. Parsing is cmark-gfm's (``mhsite.markdown_parser``),
linear in its input.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

from .html_balance import balance_html
from .markdown_parser import parse_markdown

# Longest Markdown texts editors may save, in characters (docs/markdown.md).
# The render budget (1 s on 2 cores for any input within them) is measured by
# tests/security/test_markdown_dos.py at exactly these sizes.
ARTICLE_BODY_MAX_CHARS = 100_000
FAQ_ANSWER_MAX_CHARS = 20_000
BIO_MAX_CHARS = 20_000

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
    # Footnotes link between these ids.
    "li": {"id"},
    "sup": {"id"},
    "ol": {"start"},
}

# Links may point anywhere on the web or to an email address; never to
# javascript:, data:, vbscript: or other schemes.
LINK_SCHEMES = {"http", "https", "mailto"}

# Script-like and foreign-content elements are removed with their content,
# not unwrapped, so no stray markup or script text is left behind.
CLEAN_CONTENT_TAGS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet",
    "noscript", "noembed", "template", "svg", "math", "xmp",
}  # fmt: skip

# Heading ids (slugs, "_1" suffixes) and footnote ids ("fn:1").
# Anything else, such as an id chosen to clobber a global in our scripts, is dropped.
SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}")


@deconstructible
class MarkdownLengthValidator:
    """Refuses Markdown longer than ``limit`` characters, saying by how much."""

    def __init__(self, limit: int):
        self.limit = limit

    def __call__(self, value) -> None:
        length = len(value or "")
        if length > self.limit:
            raise ValidationError(
                "This text is %(length)s characters long; the limit is %(limit)s. "
                "Shorten it by %(excess)s characters or split it into parts.",
                code="max_length",
                params={
                    "length": f"{length:,}",
                    "limit": f"{self.limit:,}",
                    "excess": f"{length - self.limit:,}",
                },
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, MarkdownLengthValidator) and other.limit == self.limit

    def __hash__(self) -> int:
        return hash(self.limit)


def _allowed_image_hosts() -> set[str]:
    return {host.lower() for host in getattr(settings, "MARKDOWN_IMAGE_HOSTS", [])}


def _own_url_prefixes() -> tuple[str, ...]:
    """Where our own media uploads and static files are served from."""
    prefixes = []
    for url in (settings.MEDIA_URL, settings.STATIC_URL):
        if not url:
            continue
        if "://" not in url and not url.startswith("/"):
            url = "/" + url
        prefixes.append(url if url.endswith("/") else url + "/")
    return tuple(prefixes)


def _has_space_or_control(value: str) -> bool:
    return any(ord(char) <= 0x20 or ord(char) == 0x7F for char in value)


def is_allowed_image_src(value: str) -> bool:
    """Whether an ``<img src>`` points at our own files or an allowlisted host.

    Browsers read ``/\\host`` as ``//host`` and resolve ``..`` (also as
    ``%2e%2e``), so those never pass as "our own path", and nor does whitespace
    or a control character a browser would silently strip.
    """
    if "\\" in value or _has_space_or_control(value):
        return False
    if ".." in unquote(value):
        return False
    parts = urlsplit(value)
    if (
        parts.scheme == "https"
        and not (parts.username or parts.password)
        and parts.hostname in _allowed_image_hosts()
    ):
        return True
    return value.startswith(_own_url_prefixes())


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    if element == "img" and attribute == "src":
        return value if is_allowed_image_src(value) else None
    if element == "a" and attribute == "href":
        # Browsers drop tabs and newlines inside URLs ("java\tscript:"): a link
        # with whitespace or control characters is never a link we want.
        return None if _has_space_or_control(value) else value
    if attribute == "id":
        return value if SAFE_ID.fullmatch(value) else None
    return value


def sanitize_html(html: str) -> str:
    """Clean an HTML fragment against the site's allowlist."""
    return nh3.clean(
        # Balanced and shallow first: nh3's parser is slow on deep trees.
        balance_html(html),
        tags=ALLOWED_TAGS,
        clean_content_tags=CLEAN_CONTENT_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes=LINK_SCHEMES,
        # Editors' own links, so no "nofollow"; no referrer leaks to other sites
        # about which mental-health topic a reader was reading.
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render_markdown(text: str) -> str:
    """Markdown to sanitized HTML. Also markdownx's preview function."""
    return sanitize_html(parse_markdown(text).html)


@dataclass
class RenderedBody:
    html: str
    toc: list[dict] = field(default_factory=list)


def _table_of_contents(headings: list[tuple[int, str, str]]) -> list[dict]:
    """The ``##`` sections, each with the ``###`` sub-sections that follow it."""
    toc: list[dict] = []
    for level, anchor, name in headings:
        if level == 2:
            toc.append({"id": anchor, "name": name, "children": []})
        elif level == 3 and toc:
            toc[-1]["children"].append({"id": anchor, "name": name})
    return toc


def render_article_body(text: str) -> RenderedBody:
    """Render an article body and collect its table of contents.

    The table of contents comes from the same pass that puts ids on the
    headings, so every entry's anchor exists in the HTML. Names are plain text:
    templates autoescape them.
    """
    parsed = parse_markdown(text)
    return RenderedBody(html=sanitize_html(parsed.html), toc=_table_of_contents(parsed.headings))
