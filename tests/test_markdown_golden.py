"""The markdown-it-py renderer gives today's articles what Python-Markdown gave them.

The files in tests/golden/markdown/ were rendered by the Python-Markdown
renderer (extensions "extra", "sane_lists", "toc") just before the switch:
every demo article's body, table of contents and FAQ answers, plus
features.md, a sample of the syntax editors use. HTML is compared as a
sequence of tags, attributes and words, so line breaks between tags and the
order of attributes do not count; everything a reader sees or links to does.
"""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from articles import frontmatter
from mhsite.markdown import render_article_body, render_markdown

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "markdown"
DEMO_FILES = sorted((ROOT / "articles" / "demo").glob("*.md"))


class _Structure(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.items.append(("<", tag, tuple(sorted(attrs))))

    def handle_endtag(self, tag):
        self.items.append((">", tag))

    def handle_data(self, data):
        words = re.sub(r"\s+", " ", data).strip()
        if words:
            self.items.append(("text", words))


def structure(html: str) -> list[tuple]:
    parser = _Structure()
    parser.feed(html)
    parser.close()
    return parser.items


def golden(name: str) -> dict:
    return json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))


def test_every_demo_article_has_a_golden_file():
    slugs = {frontmatter.parse_article(path.read_text()).slug for path in DEMO_FILES}
    assert slugs and slugs <= {path.stem for path in GOLDEN.glob("*.json")}


@pytest.mark.parametrize("path", DEMO_FILES, ids=lambda path: path.stem)
def test_demo_article_renders_as_before(path):
    document = frontmatter.parse_article(path.read_text(encoding="utf-8"))
    expected = golden(document.slug)
    rendered = render_article_body(document.body)
    assert structure(rendered.html) == structure(expected["body_html"])
    assert rendered.toc == expected["toc"]
    answers = [render_markdown(faq.answer) for faq in document.faqs]
    assert [structure(html) for html in answers] == [
        structure(html) for html in expected["faq_html"]
    ]


def test_feature_sample_renders_as_before():
    expected = golden("features")
    rendered = render_article_body((GOLDEN / "features.md").read_text(encoding="utf-8"))
    assert structure(rendered.html) == structure(expected["body_html"])
    assert rendered.toc == expected["toc"]
