"""RSS and Atom feeds of published articles.

Links are built from ``settings.SITE_URL`` (as canonical links are), so feed
readers see the same addresses as search engines whatever host served them.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, strip_tags

from .models import Article
from .seo import absolute_url

FEED_LENGTH = 20


def plain_text(value: str) -> str:
    """A title or name as plain text for feed readers, which decode it and often
    render the result as HTML: tags are removed, and a "<" or ">" left over is
    escaped, so no reader can find markup in it."""
    text = " ".join(strip_tags(value or "").split())
    return text.replace("<", "&lt;").replace(">", "&gt;")


class LatestArticlesFeed(Feed):
    description = "The latest medically reviewed articles."

    def title(self):
        return f"{settings.SITE_NAME}: latest articles"

    def author_name(self):
        # Atom requires an author for every entry; the publication stands in for
        # articles without one.
        return settings.SITE_NAME

    def link(self):
        return absolute_url(reverse("articles:list"))

    def feed_url(self):
        return absolute_url(reverse("articles:feed"))

    def items(self):
        return Article.objects.published().for_listing()[:FEED_LENGTH]

    def item_title(self, item):
        return plain_text(item.title)

    def item_description(self, item):
        # Readers render RSS descriptions and Atom summaries as HTML; the summary is text.
        return escape(item.summary)

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.modified_at

    def item_author_name(self, item):
        return plain_text(item.author.name) if item.author_id else None

    def item_categories(self, item):
        return [plain_text(category.name) for category in item.categories.all()]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description

    def feed_url(self):
        return absolute_url(reverse("articles:feed_atom"))
