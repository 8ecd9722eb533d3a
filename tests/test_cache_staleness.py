"""Randomised: after any sequence of writes, of every kind, every cached page
equals a fresh uncached render of the same URL.

Each seed builds a small site, warms the page cache for every URL, then runs
every kind of write once, in a random order and on random objects: model saves
and deletes, many-to-many changes, bulk updates, raw SQL, bulk_create,
imports, reversion reverts, recorded reviews, scheduled publication and
expiry, and the clock passing midnight. After each write every URL is fetched
through the cache, with it off (the article page then serves its stored parts
when it trusts them) and with it off and the stored parts ignored; all three
must match (the per-request nonce and CSRF token aside).
"""

import datetime
import io
import random
import re
from unittest import mock

import pytest
import reversion
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone
from reversion.models import Version

from articles.models import FAQ, Article, Category, Contributor, Reference, RelatedArticle
from articles.reviews import record_review
from tests.factories import link_related, make_article, make_category, make_contributor, make_faq
from tests.therapist_factories import make_report, make_term, make_therapist
from therapists.models import Specialty, Therapist

pytestmark = pytest.mark.django_db(transaction=False)

SEEDS = [1, 2, 3]
PER_REQUEST = re.compile(rb'(nonce="|value=")[^"]*(")')


class Clock:
    """A frozen ``timezone.now`` that moves only by ``offset``: scheduled changes and
    midnight without sleeping, and no moment passing between the two fetches of a
    URL (on a loaded machine a step can take longer than a scheduled minute)."""

    def __init__(self):
        self.offset = datetime.timedelta()
        self.start = timezone.now()

    def now(self):
        return self.start + self.offset


@pytest.fixture
def clock():
    clock = Clock()
    with mock.patch("django.utils.timezone.now", clock.now):
        yield clock


def build_site():
    sleep, mood = make_category(name="Sleep"), make_category(name="Mood")
    articles = [
        make_article(title=f"Piece {n}", categories=[(sleep, mood)[n % 2]]) for n in range(5)
    ]
    link_related(articles[0], articles[1])
    link_related(articles[2], articles[0])
    make_faq(articles[0], question="First question?")
    grief = make_term("specialty", "Grief", slug="grief")
    grief.article_categories.add(sleep)
    therapists = [make_therapist(name=f"Listed {n}", specialties=[grief]) for n in range(3)]
    return {"articles": articles, "therapists": therapists}


def urls(site) -> list[str]:
    found = ["/", "/articles/", "/articles/?page=2", "/feed/", "/feed/atom/", "/sitemap.xml"]
    found += ["/therapists/", "/therapists/?q=Listed", "/therapists/?specialty=grief"]
    found += [c.get_absolute_url() for c in Category.objects.all()]
    found += [f"/articles/{slug}/" for slug in Article.objects.values_list("slug", flat=True)]
    found += [f"/therapists/{slug}/" for slug in Therapist.objects.values_list("slug", flat=True)]
    return found


def pick(rng, queryset):
    rows = list(queryset.order_by("pk"))
    return rng.choice(rows) if rows else None


# The writes. Each takes the random generator and the clock.


def edit_article(rng, clock):
    article = pick(rng, Article.objects.all())
    article.title = f"Edited {rng.randrange(10**6)}"
    article.save()


def toggle_status(rng, clock):
    article = pick(rng, Article.objects.all())
    article.status = "draft" if article.status == "published" else "published"
    article.published_at = article.published_at or timezone.now()
    article.save()


def schedule_article(rng, clock):
    make_article(
        title=f"Scheduled {rng.randrange(10**6)}",
        published_at=timezone.now() + datetime.timedelta(minutes=rng.choice([1, 30])),
        categories=[pick(rng, Category.objects.all())],
    )


def expire_article(rng, clock):
    article = pick(rng, Article.objects.published())
    if article:
        article.expires_at = timezone.now() + datetime.timedelta(minutes=rng.choice([1, 30]))
        article.save()


def advance_clock(rng, clock):
    clock.offset += rng.choice([datetime.timedelta(minutes=2), datetime.timedelta(hours=1)])


def pass_midnight(rng, clock):
    clock.offset += datetime.timedelta(days=1)


def delete_article(rng, clock):
    if Article.objects.count() > 3:
        pick(rng, Article.objects.all()).delete()


def faq_change(rng, clock):
    faq = pick(rng, FAQ.objects.all())
    if faq and rng.random() < 0.5:
        faq.delete()
    else:
        make_faq(pick(rng, Article.objects.all()), question=f"Question {rng.randrange(10**6)}?")


def related_change(rng, clock):
    link = pick(rng, RelatedArticle.objects.all())
    if link and rng.random() < 0.5:
        link.delete()
        return
    source, target = rng.sample(list(Article.objects.all()), 2)
    if not RelatedArticle.objects.filter(article=source, target=target).exists():
        link_related(source, target)


def category_change(rng, clock):
    category, article = pick(rng, Category.objects.all()), pick(rng, Article.objects.all())
    action = rng.choice(["rename", "add", "remove", "clear"])
    if action == "rename":
        category.name = f"Category {rng.randrange(10**6)}"
        category.save()
    elif action == "add":
        article.categories.add(category)
    elif action == "remove":
        category.articles.remove(article)
    else:
        article.categories.clear()


def contributor_change(rng, clock):
    contributor = pick(rng, Contributor.objects.all())
    contributor.name = f"Dr. Renamed {rng.randrange(10**6)}"
    contributor.save()


def bulk_update(rng, clock):
    Article.objects.filter(pk=pick(rng, Article.objects.all()).pk).update(
        title=f"Bulk {rng.randrange(10**6)}"
    )


def raw_sql(rng, clock):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE articles_contributor SET name = %s WHERE id = %s",
            [f"Raw {rng.randrange(10**6)}", pick(rng, Contributor.objects.all()).pk],
        )


def bulk_create_references(rng, clock):
    article = pick(rng, Article.objects.all())
    Reference.objects.bulk_create(
        [Reference(article=article, citation=f"Example study {rng.randrange(10**6)}.")]
    )


def import_file(rng, clock, tmp_path):
    path = tmp_path / f"import-{rng.randrange(10**6)}.md"
    path.write_text(f"---\ntitle: Imported {path.stem}\nstatus: draft\n---\nBody.\n")
    call_command("import_articles", str(path), stdout=io.StringIO())


def revert(rng, clock):
    article = pick(rng, Article.objects.all())
    with reversion.create_revision():
        article.save()
    with reversion.create_revision():
        article.title = f"Before revert {rng.randrange(10**6)}"
        article.save()
    Version.objects.get_for_object(article)[1].revision.revert()


def review(rng, clock):
    record_review(pick(rng, Article.objects.all()), reviewer=make_contributor(name="Dr. Fresh"))


def therapist_change(rng, clock):
    therapist = pick(rng, Therapist.objects.all())
    action = rng.choice(["rename", "language", "unpublish", "report"])
    if action == "rename":
        therapist.name = f"Listed renamed {rng.randrange(10**6)}"
        therapist.save()
    elif action == "language":
        therapist.languages.add(make_term("language", f"Language {rng.randrange(10**6)}"))
    elif action == "unpublish":
        Therapist.objects.filter(pk=therapist.pk).update(is_published=not therapist.is_published)
    else:
        make_report(therapist)


def vocabulary_change(rng, clock):
    specialty = pick(rng, Specialty.objects.all())
    if rng.random() < 0.5:
        specialty.name = f"Specialty {rng.randrange(10**6)}"
        specialty.save()
    else:
        specialty.article_categories.add(pick(rng, Category.objects.all()))


WRITES = [
    edit_article, toggle_status, schedule_article, expire_article, advance_clock,
    pass_midnight, delete_article, faq_change, related_change, category_change,
    contributor_change, bulk_update, raw_sql, bulk_create_references, import_file,
    revert, review, therapist_change, vocabulary_change,
]  # fmt: skip


def assert_every_cached_page_is_fresh(client, site, step) -> None:
    for url in urls(site):
        cached = client.get(url)
        with override_settings(PAGE_CACHE_SECONDS=0):
            # The article page's stored parts when trusted (articles/page_parts.py)...
            stored = Client().get(url)
            # ...and a render from the rows themselves.
            with mock.patch("articles.page_parts.trusted_parts", return_value=None):
                fresh = Client().get(url)
        for served, label in ((cached, "cached"), (stored, "stored parts")):
            assert served.status_code == fresh.status_code, f"{step}: {url} ({label})"
            assert PER_REQUEST.sub(rb"\1\2", served.content) == PER_REQUEST.sub(
                rb"\1\2", fresh.content
            ), f"{step}: {url} is stale ({label}, {served.get('X-Page-Cache')})\n" + _diff(
                served, fresh
            )


@pytest.mark.parametrize("seed", SEEDS)
def test_cached_pages_equal_fresh_renders_after_random_writes(seed, clock, tmp_path, settings):
    settings.ARTICLES_PER_PAGE = 3
    rng = random.Random(seed)
    site = build_site()
    client = Client()
    for url in urls(site):
        client.get(url)
    hits = 0
    # Every kind of write once per seed, in a random order.
    for step, write in enumerate(rng.sample(WRITES, len(WRITES))):
        if write is import_file:
            write(rng, clock, tmp_path)
        else:
            write(rng, clock)
        assert_every_cached_page_is_fresh(client, site, f"step {step} ({write.__name__})")
        hits += sum(client.get(url).get("X-Page-Cache") == "hit" for url in urls(site)[:3])
    # The comparison is only meaningful if pages were really served from the cache.
    assert hits > 0


def _diff(cached, fresh) -> str:
    import difflib

    a = PER_REQUEST.sub(rb"\1\2", cached.content).decode().splitlines()
    b = PER_REQUEST.sub(rb"\1\2", fresh.content).decode().splitlines()
    return "\n".join(difflib.unified_diff(a, b, "cached", "fresh", lineterm="", n=1))
