"""The article page's parts: rendered live, or read back from one stored row.

The page (templates/articles/article_detail.html) is laid out from the blocks of
templates/articles/article_parts.html: title, description, canonical link,
meta tags, JSON-LD and the whole content. Rendering them costs five queries
and most of a request's CPU, and they change only when the article, its FAQs,
references, related articles, categories, contributors or the finder's
specialty mapping do. So a public request reads the article and its stored
parts (``ArticlePageParts``) in one query and renders only the layout around
them; the live render runs when nothing trustworthy is stored, and stores its
result.

When stored parts are trusted:

- **Writes.** Every write that invalidates the article's page-cache tags bumps
  the row's ``generation`` (articles/page_parts_invalidation.py). Parts are
  stored only if the generation read before
  their rows were read is still current, under a row lock taken without
  waiting: parts built from rows a write changed meanwhile are never stored.
- **Time.** Parts are valid until the next local midnight (the overdue
  review notice) and the next scheduled publication or expiry of any article
  (related articles are shown only while public).
- **Configuration and code.** ``key`` hashes the site address, the settings
  the parts show and the source of the templates and code that render them;
  after a deploy or a settings change every row is rendered again.
"""

import datetime
import hashlib
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from django.template import RequestContext
from django.template.loader import get_template
from django.template.loader_tags import BlockNode
from django.utils import timezone
from django.utils.safestring import mark_safe

from mhsite import cachetags
from mhsite.siteurl import site_url

from .models import Article, ArticlePageParts, RelatedArticle, published_condition
from .page_hooks import category_annotations
from .seo import article_jsonld, faq_jsonld

PARTS_TEMPLATE = "articles/article_parts.html"
# What the key covers besides the site address: settings the parts show.
KEYED_SETTINGS = (
    "SITE_NAME",
    "CRISIS_SUPPORT_TEXT",
    "CRISIS_SUPPORT_URL",
    "CRISIS_SUPPORT_LINK_TEXT",
    "LANGUAGE_CODE",
    "TIME_ZONE",
    "REVIEW_OVERDUE_GRACE_DAYS",
)
ROOT = Path(settings.BASE_DIR)
SOURCES = [
    "templates/articles/article_parts.html",
    "templates/includes/review_stamp.html",
    "templates/includes/find_therapist_cta.html",
    "templates/includes/crisis_note.html",
    "articles/page_parts.py",
    "articles/seo.py",
    "articles/templatetags/article_tags.py",
    "mhsite/templatetags/site_tags.py",
    "therapists/templatetags/finder_tags.py",
]


# Rendering.


def live_context(article: Article) -> dict:
    """What the parts template shows besides the article: four queries."""
    # One page, one article: a plain query per relation does the same work as
    # prefetch_related without its bookkeeping (bench/findings.md).
    faqs = list(article.faqs.all())
    # With what other apps add to each category (the finder link's specialties).
    categories = list(article.categories.only("name", "slug").annotate(**category_annotations()))
    related_articles = [
        link.target
        for link in RelatedArticle.objects.filter(article=article)
        # Only what the public may read, even in a staff preview, in the editor's order.
        .filter(published_condition("target__"))
        .select_related("target")
        .only("target__title", "target__slug", "target__summary")
    ]
    return {
        "article": article,
        "faqs": faqs,
        "references": list(article.references.all()),
        "categories": categories,
        "related_articles": related_articles,
        "article_jsonld": article_jsonld(article),
        "faq_jsonld": faq_jsonld(faqs),
    }


def render(request, article: Article) -> tuple[dict[str, str], set[str]]:
    """Each block of the parts template, rendered live, and the cache tags it recorded."""
    template = get_template(PARTS_TEMPLATE).template
    token = cachetags.start_recording()
    try:
        context = RequestContext(request, live_context(article))
        with context.render_context.push_state(template), context.bind_template(template):
            parts = {
                node.name: node.render(context)
                for node in template.nodelist.get_nodes_by_type(BlockNode)
            }
    finally:
        tags = cachetags.stop_recording(token)
    cachetags.add_tags(*tags)  # for the page cache recording this page, if any
    return parts, tags


# Reading and storing.


@cache
def _source_digest() -> str:
    digest = hashlib.sha256()
    for name in SOURCES:
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def current_key() -> str | None:
    """What the parts were rendered with; None when they must not be stored at all.

    Signed upload URLs (an S3 store with ``querystring_auth``) expire, so parts
    showing them are always rendered live.
    """
    if getattr(default_storage, "querystring_auth", False):
        return None
    values = [
        site_url(),
        default_storage.url("page-parts"),
        _source_digest(),
        *(str(getattr(settings, name)) for name in KEYED_SETTINGS),
    ]
    return hashlib.sha256("\0".join(values).encode()).hexdigest()


def public_article(slug: str) -> Article | None:
    """The public article with its stored parts row (``page_parts``), in one query."""
    return (
        Article.objects.published()
        .filter(slug=slug)
        .select_related("page_parts")
        .only("pk", "slug", *(f"page_parts__{f.name}" for f in ArticlePageParts._meta.fields))
        .first()
    )


def stored_row(article: Article) -> ArticlePageParts | None:
    try:
        return article.page_parts
    except ArticlePageParts.DoesNotExist:
        return None


def trusted_parts(row: ArticlePageParts | None) -> dict[str, str] | None:
    """The row's parts if they may be served now, recording their tags on the page."""
    if (
        row is None
        or row.parts is None
        or row.built_generation != row.generation
        or row.valid_until is None
        or row.valid_until <= timezone.now()
        or row.key != current_key()
    ):
        return None
    cachetags.add_tags(*row.tags)
    return {name: mark_safe(html) for name, html in row.parts.items()}  # noqa: S308 - our own render


def generation_before_reading(article: Article, row: ArticlePageParts | None) -> int:
    """The generation to store against; creates the row first if missing.

    The row must exist, committed, before the content rows are read: a write
    committing after that read bumps it (after its commit at the latest), so
    stale parts cannot be stored against it.
    """
    if row is not None:
        return row.generation
    # Created by a concurrent request meanwhile, the row may already have been
    # bumped: then storing against 0 fails, and the next request stores.
    ArticlePageParts.objects.bulk_create(
        [ArticlePageParts(article_id=article.pk)], ignore_conflicts=True
    )
    return 0


def valid_until(now: datetime.datetime | None = None) -> datetime.datetime:
    now = now or timezone.now()
    today = timezone.localdate(now)
    midnight = datetime.datetime.combine(
        today + datetime.timedelta(days=1), datetime.time(), tzinfo=timezone.get_current_timezone()
    )
    scheduled = Article.objects.next_scheduled_change(now)
    return min(midnight, scheduled) if scheduled else midnight


def store(pk: int, generation: int, parts: dict[str, str], tags: set[str], until) -> bool:
    """Store ``parts`` if ``generation`` is still current and no write holds the row."""
    key = current_key()
    if key is None:
        return False
    try:
        with transaction.atomic():
            locked = (
                ArticlePageParts.objects.select_for_update(nowait=True)
                .filter(pk=pk, generation=generation)
                .values_list("pk", flat=True)
            )
            if not locked:
                return False
            ArticlePageParts.objects.filter(pk=pk).update(
                built_generation=generation,
                key=key,
                valid_until=until,
                parts=parts,
                tags=sorted(tags),
            )
    except DatabaseError:  # a write holds the row: it is about to invalidate it anyway
        return False
    return True
