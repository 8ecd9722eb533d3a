"""Markdown to (unsanitized) HTML with cmark-gfm, plus the heading outline.

cmark-gfm (GitHub's CommonMark parser, in C) runs in time linear in its input,
so no text within the size limits can hold a worker: Python-Markdown, used
before, is quadratic on inputs such as ``"[" * 8000``, and the pure-Python
markdown-it-py, though linear, needs seconds for 200 KB of brackets
(bench/markdown_corpus.py and docs/markdown.md have the figures).

Beyond CommonMark, tables and footnotes are switched on. Heading ids and
footnote ids are spelled the way Python-Markdown spelled them
("getting-help", "getting-help_1", "fn:1", "fnref:1"), so links into
existing articles keep working. The HTML is rewritten with patterns that
match only cmark's own fixed output and stop at the next heading tag, so
they stay linear too.

Only ``mhsite.markdown`` should call this: its output is not yet sanitized.
"""

import html
import re
from dataclasses import dataclass, field

from cmarkgfm.cmark import Options, markdown_to_html_with_extensions
from django.utils.text import slugify

# Raw HTML is let through here and cleaned by the sanitizer afterwards.
OPTIONS = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES
EXTENSIONS = ["table"]

HEADING = re.compile(r"<h([1-6])>([^<]*(?:<(?!/?h[1-6][\s>])[^<]*)*)</h\1>")
TAG = re.compile(r"<[^>]*>")
FOOTNOTE_REF = re.compile(
    r'<sup class="footnote-ref"><a href="#fn-([^"<>]*)" id="fnref-([^"<>]*)" data-footnote-ref>'
)
FOOTNOTE_ITEM = re.compile(r'<li id="fn-([^"<>]*)">')
FOOTNOTE_BACKREF = re.compile(
    r' <a href="#fnref-([^"<>]*)" class="footnote-backref" data-footnote-backref'
    r' data-footnote-backref-idx="([^"<>]*)" aria-label="[^"<>]*">'
)
FOOTNOTES_OPEN = '<section class="footnotes" data-footnotes>\n'


@dataclass
class ParsedMarkdown:
    html: str
    # (level, id, plain-text name) of every heading, in document order.
    headings: list[tuple[int, str, str]] = field(default_factory=list)


class _HeadingIds:
    """Gives every heading a unique slug id and records it for the outline.

    Duplicates get "_1", "_2"... The next suffix to try is remembered per
    slug, so thousands of identical headings cost linear time, not quadratic.
    """

    def __init__(self):
        self.used: set[str] = set()
        self.next_suffix: dict[str, int] = {}
        self.headings: list[tuple[int, str, str]] = []
        self.slugs: dict[str, str] = {}

    def unique(self, base: str) -> str:
        slug = base
        if slug in self.used:
            suffix = self.next_suffix.get(base, 1)
            while f"{base}_{suffix}" in self.used:
                suffix += 1
            self.next_suffix[base] = suffix + 1
            slug = f"{base}_{suffix}"
        self.used.add(slug)
        return slug

    def __call__(self, match: re.Match) -> str:
        level, inner = match.group(1), match.group(2)
        name = (
            " ".join(html.unescape(TAG.sub("", inner)).split())
            if "<" in inner or "&" in inner
            else " ".join(inner.split())
        )
        base = self.slugs.get(name)
        if base is None:
            base = self.slugs[name] = slugify(name) or "section"
        slug = self.unique(base)
        self.headings.append((int(level), slug, name))
        return f'<h{level} id="{slug}">{inner}</h{level}>'


def _python_markdown_footnotes(text: str) -> str:
    """Footnote markup and ids as Python-Markdown's footnotes extension wrote them."""
    start = text.find(FOOTNOTES_OPEN)
    if start == -1:
        return text
    text = FOOTNOTE_REF.sub(r'<sup id="fnref:\2"><a href="#fn:\1">', text)
    start = text.find(FOOTNOTES_OPEN)
    notes = text[start + len(FOOTNOTES_OPEN) :]
    notes = FOOTNOTE_ITEM.sub(r'<li id="fn:\1">', notes)
    notes = FOOTNOTE_BACKREF.sub(
        r'&#160;<a href="#fnref:\1" title="Jump back to footnote \2 in the text">', notes
    )
    notes = notes.replace("</section>", "</div>")
    return text[:start] + '<div class="footnote">\n<hr>\n' + notes


def parse_markdown(text: str | None) -> ParsedMarkdown:
    # A lone surrogate (possible in a str, impossible in UTF-8) would make
    # cmark's encoding step raise; it becomes "?" instead.
    source = (text or "").encode("utf-8", "replace").decode("utf-8")
    rendered = markdown_to_html_with_extensions(source, OPTIONS, EXTENSIONS)
    heading_ids = _HeadingIds()
    rendered = HEADING.sub(heading_ids, rendered)
    rendered = _python_markdown_footnotes(rendered)
    return ParsedMarkdown(html=rendered.strip(), headings=heading_ids.headings)
