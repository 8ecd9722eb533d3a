"""What a rendered fragment can do: its elements and attributes, not its words.

A payload such as ``[x](javascript:alert(1))`` may come back as harmless text
(escaped, shown to the reader as typed). The tests check that nothing active
survives: no forbidden element, no event handler or style attribute, and no
URL attribute with a script or data scheme.
"""

from html.parser import HTMLParser

FORBIDDEN_TAGS = {
    "script", "iframe", "object", "embed", "svg", "math", "form", "input", "meta",
    "base", "link", "style", "frame", "template", "noscript",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data"}
BAD_SCHEMES = ("javascript:", "data:", "vbscript:", "file:")


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))


def elements(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.elements


def active_markup(html: str) -> list[str]:
    """Every element or attribute in ``html`` that could run script or restyle the page."""
    found = []
    for tag, attrs in elements(html):
        if tag in FORBIDDEN_TAGS:
            found.append(f"<{tag}>")
        for name, value in attrs.items():
            squashed = "".join(value.split()).lower()
            if name.startswith("on") or name in ("style", "srcdoc"):
                found.append(f"<{tag} {name}>")
            elif name in URL_ATTRIBUTES and squashed.startswith(BAD_SCHEMES):
                found.append(f"<{tag} {name}={value!r}>")
    return found
