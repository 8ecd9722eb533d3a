"""Reading the public article page in tests: its text, JSON-LD, meta tags and query budget."""

import datetime
import html
import json
import re

from django.utils import timezone
from django.utils.html import strip_tags

from articles.models import Article
from tests.factories import make_article, make_contributor

SITE = "https://mh.example.com"


# A reader's page: the public article with its stored parts (articles/page_parts.py).
ARTICLE_PAGE_QUERIES = 1


# The first reader's page renders and stores them: the article with its parts
# row, creating that row, the article with its contributors, its categories,
# FAQs, references and related links (with their targets), the next scheduled
# publication and expiry, and the store (savepoint, row lock, update, release).
ARTICLE_PAGE_BUILD_QUERIES = 13


JSONLD_RE = re.compile(
    r'<script type="application/ld\+json" nonce="([^"]+)">(.*?)</script>', re.DOTALL
)


def page_text(response) -> str:
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def without_nonces(response) -> bytes:
    return re.sub(rb'nonce="[^"]*"', b'nonce=""', response.content)


def jsonld_blocks(response) -> list[dict]:
    return [json.loads(body) for _nonce, body in JSONLD_RE.findall(response.content.decode())]


def meta_content(response, attribute: str, name: str) -> str:
    match = re.search(
        rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', response.content.decode()
    )
    assert match, f"no <meta {attribute}={name!r}>"
    return html.unescape(match.group(1))


def reviewed_article(**fields) -> Article:
    today = timezone.localdate()
    fields.setdefault("reviewer", make_contributor(name="Dr. Ada Example", credentials="MD"))
    fields.setdefault("author", make_contributor(name="Sam Writer", credentials=""))
    fields.setdefault("last_reviewed", today - datetime.timedelta(days=20))
    fields.setdefault("next_review_due", today + datetime.timedelta(days=200))
    return make_article(**fields)
