"""Issue 9, finding 8: titles and names in feeds are plain text.

Replayed: an article titled ``<img src=x onerror=alert(1)>`` reached the RSS
``<title>`` and the author's name reached ``dc:creator`` as markup once a
feed reader decoded the XML. Whatever a reader decodes must hold no tag.
"""

import xml.etree.ElementTree as ET

import pytest

from articles.feeds import plain_text
from tests.factories import make_article, make_category, make_contributor

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
PAYLOAD = "<img src=x onerror=alert(1)>"


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def hostile_article():
    return make_article(
        title=f"Coping {PAYLOAD} at work",
        author=make_contributor(name=f"Sam {PAYLOAD}Sample"),
        categories=[make_category(name=f"Stress{PAYLOAD}")],
    )


def decoded_texts(body: bytes, paths: list[str]) -> list[str]:
    root = ET.fromstring(body)  # noqa: S314 - our own response, not untrusted input
    return [element.text or "" for path in paths for element in root.iter(path)]


def assert_no_markup(texts: list[str]) -> None:
    assert texts
    for text in texts:
        assert "<" not in text and "onerror" not in text, text


def test_rss_title_creator_and_category_hold_no_markup(client, hostile_article):
    response = client.get("/feed/")
    assert response.status_code == 200
    texts = decoded_texts(response.content, ["title", f"{DC}creator", "category"])
    assert_no_markup(texts)
    assert "Coping at work" in texts
    assert "Sam Sample" in texts


def test_atom_title_and_author_hold_no_markup(client, hostile_article):
    response = client.get("/feed/atom/")
    assert response.status_code == 200
    texts = decoded_texts(response.content, [f"{ATOM}title", f"{ATOM}name"])
    assert_no_markup(texts)
    assert "Coping at work" in texts


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Anxiety & you", "Anxiety & you"),
        ("<b>Bold</b> claims", "Bold claims"),
        (
            "<<img src=x onerror=alert(1)>img src=x onerror=alert(1)>",
            "",
        ),
        ("1 < 2 and 3 > 2", "1 &lt; 2 and 3 &gt; 2"),
    ],
)
def test_plain_text_never_leaves_a_tag(value, expected):
    assert plain_text(value) == expected
