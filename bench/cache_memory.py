"""Memory per cached page in Redis, for docs/deployment.md (Redis maxmemory).

Renders every public page of the demo site once into the page cache, then asks
Redis (MEMORY USAGE) for the size of each page entry and of each tag version.

    DATABASE_URL=... REDIS_URL=redis://127.0.0.1:6379/N .venv/bin/python bench/cache_memory.py

Uses the database as it is (run ``manage.py loaddemo`` first); deletes only the
page-cache keys under this site's CACHE_KEY_PREFIX, before and after.
"""

import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mhsite.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402

from articles.models import Article, Category  # noqa: E402
from therapists.models import Therapist  # noqa: E402


def main() -> None:
    if not settings.REDIS_URL:
        sys.exit("Set REDIS_URL: this measures Redis memory.")
    redis = cache._cache.get_client()
    pattern = f"{settings.CACHES['default']['KEY_PREFIX']}:*pagecache:*"

    def forget() -> None:
        for key in redis.scan_iter(pattern):
            redis.delete(key)

    forget()
    urls = ["/", "/articles/", "/feed/", "/sitemap.xml", "/therapists/"]
    urls += [a.get_absolute_url() for a in Article.objects.published()]
    urls += [c.get_absolute_url() for c in Category.objects.all()]
    urls += [t.get_absolute_url() for t in Therapist.objects.listed()[:50]]
    client = Client()
    for url in urls:
        client.get(url)
    pages, tags = [], []
    for key in redis.scan_iter(pattern):
        size = redis.memory_usage(key)
        (pages if b"pagecache:page:" in key else tags).append(size)
    forget()
    print(f"pages requested: {len(urls)}; entries stored: {len(pages)}")
    print(
        f"page entry bytes: mean {statistics.mean(pages):,.0f}, "
        f"median {statistics.median(pages):,.0f}, max {max(pages):,}"
    )
    print(f"tag/version keys: {len(tags)}, mean {statistics.mean(tags):,.0f} bytes")


if __name__ == "__main__":
    main()
