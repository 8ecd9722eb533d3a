"""Parse rendered pages and list what a browser would run or fetch from them."""

import json
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

# Attributes whose URL the browser fetches (or submits to) without a click.
FETCHED_URL_ATTRIBUTES = {
    "script": ("src",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "iframe": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "form": ("action",),
    "input": ("src", "formaction"),
    "button": ("formaction",),
    "meta": (),
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcset", "poster", "data", "xlink:href"}
EMBEDDING_TAGS = {"iframe", "object", "embed", "frame", "frameset", "applet", "base"}
SAFE_SCRIPT_TYPES = {"application/ld+json"}


@dataclass
class Script:
    attrs: dict[str, str | None]
    text: str = ""


class PageAudit(HTMLParser):
    """Every tag, every inline script and its text, as a browser would see them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[Script] = []
        self._script: Script | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "script":
            self._script = Script(attributes)
            self.scripts.append(self._script)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self._script = None

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script.text += data


def audit(html: str) -> PageAudit:
    page = PageAudit()
    page.feed(html)
    page.close()
    return page


def is_same_origin(url: str) -> bool:
    parts = urlsplit(url.strip())
    if parts.scheme in ("", "http", "https") and not parts.netloc:
        return not url.strip().startswith("//")
    return parts.netloc in {"testserver", "example.com"} and parts.scheme in ("http", "https")


def fetched_urls(page: PageAudit) -> list[tuple[str, str]]:
    """(tag, url) for every resource the page loads or posts to by itself."""
    urls = []
    for tag, attrs in page.tags:
        for attribute in FETCHED_URL_ATTRIBUTES.get(tag, ()):
            value = attrs.get(attribute)
            if not value:
                continue
            if tag == "link" and (attrs.get("rel") or "") in {"canonical", "alternate"}:
                continue  # metadata, never fetched by the browser
            candidates = [part.strip().split(" ")[0] for part in value.split(",")]
            urls.extend((tag, url) for url in (candidates if "srcset" in attribute else [value]))
    return urls


def unsafe_constructs(
    page: PageAudit, *, own_script_srcs: tuple[str, ...] = ("/static/",), allow_svg: bool = False
) -> list[str]:
    """Everything in the page that could run script the site did not write."""
    problems = []
    for tag, attrs in page.tags:
        if tag in EMBEDDING_TAGS:
            problems.append(f"<{tag}> element")
        for name, value in attrs.items():
            if name.startswith("on"):
                problems.append(f"<{tag} {name}=...> event handler")
            if name == "style":
                problems.append(f"<{tag} style=...> inline style")
            if name in URL_ATTRIBUTES and value:
                scheme = value.strip().lower().replace("\t", "").replace("\n", "")
                if scheme.startswith(("javascript:", "vbscript:", "data:")):
                    problems.append(f"<{tag} {name}={value[:40]!r}> script URL")
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            problems.append("<meta http-equiv=refresh>")
        if tag in {"svg", "math"} and not allow_svg:
            problems.append(f"<{tag}> element")
    for script in page.scripts:
        src = script.attrs.get("src")
        script_type = (script.attrs.get("type") or "").lower()
        if src:
            if not any(src.startswith(prefix) for prefix in own_script_srcs):
                problems.append(f"<script src={src!r}> not ours")
        elif script_type in SAFE_SCRIPT_TYPES:
            try:
                json.loads(script.text)
            except ValueError:
                problems.append(f"JSON-LD block that is not JSON: {script.text[:80]!r}")
        else:
            problems.append(f"inline <script>: {script.text[:60]!r}")
    return problems
