"""Add synthetic articles for search benchmarks: ``seed_articles --count N [--seed 42]``.

Tops the database up to N synthetic articles (slugs ``synthetic-article-…``),
rendered and written in batches with ``bulk_create``, then rebuilds the search
index once (signals are bypassed, so this is the one place that indexes them).
"""

import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from articles.models import FAQ, Article, Category, Contributor
from articles.search.indexing import rebuild_index
from articles.search.seeding import CATEGORY_NAMES, synthetic_article
from mhsite.dates import add_months
from mhsite.markdown import render_article_body, render_markdown

BATCH_SIZE = 500


class Command(BaseCommand):
    help = (
        "Add synthetic articles (realistic length) for benchmarks, then rebuild the search index."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="Synthetic articles wanted.")
        parser.add_argument("--seed", type=int, default=42)

    def handle(self, *args, count, seed, **options):
        if count < 0 or count > 200_000:
            raise CommandError("--count must be between 0 and 200000.")
        started = time.monotonic()
        existing = Article.objects.filter(slug__startswith="synthetic-article-").count()
        rng = random.Random(f"{seed}-{existing}")
        author, _ = Contributor.objects.get_or_create(
            slug="synthetic-author",
            defaults={"name": "Synthetic Author (fictional)", "credentials": "Benchmark data"},
        )
        categories = {
            name: Category.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
            for name in CATEGORY_NAMES
        }
        for start in range(existing, count, BATCH_SIZE):
            with transaction.atomic():
                self._write_batch(
                    rng, range(start, min(count, start + BATCH_SIZE)), author, categories
                )
        with transaction.atomic():
            indexed = rebuild_index()
        self.stdout.write(
            f"{max(0, count - existing)} article(s) added ({count} synthetic wanted); "
            f"{indexed} indexed in {time.monotonic() - started:.0f}s."
        )

    def _write_batch(self, rng, numbers, author, categories) -> None:
        drafts = [synthetic_article(rng, number + 1) for number in numbers]
        articles = []
        for draft in drafts:
            rendered = render_article_body(draft.body)
            articles.append(
                Article(
                    title=draft.title,
                    slug=draft.slug,
                    summary=draft.summary,
                    body=draft.body,
                    body_html=rendered.html,
                    toc=rendered.toc,
                    author=author,
                    status=Article.Status.PUBLISHED if draft.published else Article.Status.DRAFT,
                    published_at=draft.published_at if draft.published else None,
                    last_reviewed=draft.last_reviewed,
                    next_review_due=(
                        add_months(draft.last_reviewed, 12) if draft.last_reviewed else None
                    ),
                )
            )
        Article.objects.bulk_create(articles)
        saved = dict(
            Article.objects.filter(slug__in=[a.slug for a in articles]).values_list("slug", "pk")
        )
        FAQ.objects.bulk_create(
            FAQ(
                article_id=saved[draft.slug],
                question=q,
                answer=a,
                answer_html=render_markdown(a),
                order=n,
            )
            for draft in drafts
            for n, (q, a) in enumerate(draft.faqs)
        )
        through = Article.categories.through
        through.objects.bulk_create(
            through(article_id=saved[draft.slug], category_id=categories[name].pk)
            for draft in drafts
            for name in draft.categories
        )
