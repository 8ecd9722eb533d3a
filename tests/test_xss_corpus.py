"""An XSS corpus: every payload in tests/xss_payloads.txt, in every editor-writable text field,
renders inert on every public page (and in the feeds, which readers render as HTML).

Payloads are packed several to a field value, up to the field's length, so the whole corpus
runs through each field with a few dozen objects rather than thousands.
"""

import itertools
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models

from articles.models import (
    FAQ,
    Article,
    Category,
    Contributor,
    EditorialPage,
    Reference,
    RelatedArticle,
)
from tests.factories import make_article, make_category, make_contributor
from tests.html_audit import audit, fetched_urls, is_same_origin, unsafe_constructs
from tests.public_site import png_upload
from tests.therapist_factories import VOCABULARY_MODELS, make_term, make_therapist
from therapists.models import Therapist

pytestmark = pytest.mark.django_db

PAYLOAD_FILE = Path(__file__).with_name("xss_payloads.txt")
TEXT_FIELD_LIMIT = 300  # how much of the corpus one TextField value carries
SKIPPED_FIELDS = {"slug", "email", "postal_code"}


def load_payloads() -> list[str]:
    lines = PAYLOAD_FILE.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("# ")]


PAYLOADS = load_payloads()


def pack(values: list[str], limit: int, separator: str = " ") -> list[str]:
    """Values joined into as few strings of at most ``limit`` characters as possible."""
    packed, current = [], ""
    for value in values:
        if len(value) > limit:
            continue
        candidate = f"{current}{separator}{value}" if current else value
        if len(candidate) > limit:
            packed.append(current)
            candidate = value
        current = candidate
    if current:
        packed.append(current)
    return packed


def url_payloads() -> list[str]:
    """The payloads as values a URL field accepts (the admin validates URLs)."""
    validate = URLValidator()
    candidates = [*PAYLOADS, *(f"https://example.com/{p}" for p in PAYLOADS)]
    candidates += [f"https://example.com/?q={quote(p)}&x={p.replace(' ', '%20')}" for p in PAYLOADS]
    accepted = []
    for candidate in candidates:
        try:
            validate(candidate)
        except ValidationError:
            continue
        accepted.append(candidate)
    return accepted


def writable_text_fields(model) -> list[models.Field]:
    """The text fields an editor types into: editable, free text, not a slug or a choice."""
    return [
        field
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField | models.TextField | models.URLField)
        and field.editable
        and not field.choices
        and not isinstance(field, models.SlugField | models.EmailField)
        and field.name not in SKIPPED_FIELDS
    ]


def field_values(field: models.Field) -> list[str]:
    limit = field.max_length or TEXT_FIELD_LIMIT
    if isinstance(field, models.URLField):
        return [url for url in url_payloads() if len(url) <= limit]
    separator = "\n\n" if isinstance(field, models.TextField) else " "
    return pack(PAYLOADS, limit, separator)


def payload_rows(model, count: int | None = None) -> list[dict[str, str]]:
    """Field values for ``count`` objects (enough to carry the corpus if not given)."""
    values = {field.name: field_values(field) for field in writable_text_fields(model)}
    values = {name: vals for name, vals in values.items() if vals}
    # Enough objects to carry the corpus through every field that can hold any payload;
    # the few very short fields (phone, pronouns) cycle through what fits them.
    # URL fields cycle too, except where the caller asks for one object per value.
    carrying = [
        len(vals)
        for name, vals in values.items()
        if (model._meta.get_field(name).max_length or TEXT_FIELD_LIMIT) >= 100
        and not isinstance(model._meta.get_field(name), models.URLField)
    ]
    count = count or max(carrying)
    return [{name: vals[i % len(vals)] for name, vals in values.items()} for i in range(count)]


def test_the_corpus_has_at_least_100_payloads_and_every_one_fits_a_name_field():
    assert len(PAYLOADS) >= 100
    assert all(len(p) <= 100 for p in PAYLOADS), "a payload would be skipped in short fields"


def test_every_payload_reaches_every_field_kind():
    for model in (Article, Category, Contributor, FAQ, Reference, Therapist):
        for field in writable_text_fields(model):
            if isinstance(field, models.URLField) or (field.max_length or 300) < 100:
                continue
            carried = "".join(field_values(field))
            missing = [p for p in PAYLOADS if p not in carried]
            assert not missing, f"{model.__name__}.{field.name} misses {missing[:3]}"


@pytest.fixture
def poisoned_site():
    """Published articles, categories, contributors, FAQs, references, therapists and
    vocabulary terms whose every text field carries the corpus."""
    categories = [
        make_category(slug=f"xss-category-{i}", **row)
        for i, row in enumerate(payload_rows(Category))
    ]
    contributors = [
        make_contributor(slug=f"xss-person-{i}", **row)
        for i, row in enumerate(payload_rows(Contributor))
    ]
    people = itertools.cycle(contributors)
    article_rows = payload_rows(Article)
    articles = []
    for i, row in enumerate(article_rows):
        row["body"] = "\n\n".join(PAYLOADS) if i == 0 else row["body"]
        articles.append(
            make_article(
                slug=f"xss-article-{i}",
                image=png_upload(f"xss-{i}.png"),
                author=next(people),
                reviewer=next(people),
                categories=categories if i == 0 else [categories[i % len(categories)]],
                **row,
            )
        )
    main = articles[0]
    for order, row in enumerate(payload_rows(FAQ)):
        FAQ.objects.create(article=main, order=order, **row)
    # One reference per accepted URL payload: every URL variant rendered as a link.
    for order, row in enumerate(payload_rows(Reference, count=len(url_payloads()))):
        Reference.objects.create(article=main, order=order, **row)
    for order, target in enumerate(articles[1:]):
        RelatedArticle.objects.create(article=main, target=target, order=order)

    # The vocabularies share one abstract model: the corpus is dealt out across them, so
    # every payload is some term's name and every vocabulary carries a share.
    kinds = list(VOCABULARY_MODELS)
    terms = {kind: [] for kind in kinds}
    for i, row in enumerate(payload_rows(VOCABULARY_MODELS[kinds[0]])):
        kind = kinds[i % len(kinds)]
        terms[kind].append(make_term(kind, slug=f"xss-term-{i}", **row))
    therapists = []
    for i, row in enumerate(payload_rows(Therapist)):
        relations = {}
        if i == 0:
            relations = {
                field.name: terms[kind]
                for field in Therapist._meta.many_to_many
                for kind, model in VOCABULARY_MODELS.items()
                if field.related_model is model
            }
        therapists.append(
            make_therapist(
                slug=f"xss-therapist-{i}",
                photo=png_upload(f"xss-t-{i}.png"),
                **relations,
                **row,
            )
        )
    # The editor-managed "How we review" page, written in the corpus too.
    policy = EditorialPage.objects.how_we_review().get()
    policy.title = PAYLOADS[0]
    policy.body = "\n\n".join(PAYLOADS)
    policy.save()
    return {
        "articles": articles,
        "categories": categories,
        "contributors": contributors,
        "therapists": therapists,
    }


def public_urls(client, site) -> list[str]:
    urls = ["/", "/therapists/", "/no-such-page/%3Cscript%3Ealert(1)%3C/script%3E/"]
    pages = -(-Article.objects.published().count() // settings.ARTICLES_PER_PAGE)
    urls += [f"/articles/?page={n}" for n in range(1, pages + 1)]
    urls += [a.get_absolute_url() for a in site["articles"]]
    # Every category name shows on the main article and the home page; the descriptions
    # (the longer field, fewer objects) only on their own pages.
    described = len(field_values(Category._meta.get_field("description")))
    urls += [c.get_absolute_url() for c in site["categories"][:described]]
    urls += [t.get_absolute_url() for t in site["therapists"]]
    # Contributor pages show the name, credentials and bio (every contributor
    # here authored or reviewed a published article), and the review policy.
    urls += [c.get_absolute_url() for c in site["contributors"]]
    urls += ["/how-we-review/"]
    # Readers' own input is echoed by the finder: payloads in the query string too.
    urls += [f"/therapists/?q={quote(chunk)}" for chunk in pack(PAYLOADS, 2000)]
    urls += [f"/therapists/?page={n}" for n in (1, 2)]
    return urls


def test_every_payload_renders_inert_on_every_public_page(client, poisoned_site):
    checked = 0
    for url in public_urls(client, poisoned_site):
        response = client.get(url)
        assert response.status_code in (200, 404), f"{url} answered {response.status_code}"
        html = response.content.decode()
        page = audit(html)
        problems = unsafe_constructs(page)
        assert not problems, f"{url}: {problems[:5]}"
        for tag, fetched in fetched_urls(page):
            assert is_same_origin(fetched), f"{url}: <{tag}> loads {fetched}"
        for script in page.scripts:
            if src := script.attrs.get("src"):
                assert finders.find(src.removeprefix("/static/")), f"{url}: script {src}"
        assert settings.SECRET_KEY not in html, f"{url} rendered a template payload"
        checked += 1
    assert checked > 50
    # In the same test, so the poisoned site is built once.
    for feed in ("/feed/", "/feed/atom/"):
        assert_feed_inert(client, feed)


def assert_feed_inert(client, feed: str) -> None:
    """Feed readers render RSS descriptions and Atom summaries and content as HTML."""
    response = client.get(feed)
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own response
    html_parts = [
        element.text or ""
        for element in root.iter()
        if element.tag.rsplit("}", 1)[-1] in {"description", "summary", "content"}
    ]
    assert len(html_parts) > 1
    for part in html_parts:
        problems = unsafe_constructs(audit(part))
        assert not problems, f"{feed}: {problems[:3]} in {part[:120]!r}"
