"""What the articles app's public pages show, for the tagged page cache (mhsite.cachetags).

Loaded at start-up by ``mhsite.apps``. A new public page (a contributor page,
"How we review") needs one ``register_page`` line here and its URL name in
``PAGE_CACHE_URL_NAMES``: the objects it loads tag it automatically.
"""

from mhsite.cachetags import register_model, register_page, register_schedule

from .models import (
    FAQ,
    Article,
    Category,
    Contributor,
    EditorialPage,
    PublishOverride,
    Reference,
    RelatedArticle,
    Review,
)

# Shown by every page that lists articles: home, index, category pages, feeds, sitemap.
ARTICLE_LISTS = "article-lists"
# The specialty-to-category mapping behind an article page's finder link (read
# by annotation, so no Specialty object is loaded to tag the page by itself).
SPECIALTIES = "therapists.specialty"


def _article_of(child) -> list[str]:
    return [f"articles.article:{child.article_id}"]


def _articles_linking(article) -> list[str]:
    # Their related-articles section shows this one only while it is public, so
    # it never loaded (and tagged) a draft that is now being published.
    linking = RelatedArticle.objects.filter(target_id=article.pk)
    return [f"articles.article:{pk}" for pk in linking.values_list("article_id", flat=True)]


register_model(Article, lists={ARTICLE_LISTS}, parents=_articles_linking)
# Home lists categories with their article counts.
register_model(Category, lists={ARTICLE_LISTS})
register_model(Contributor)
register_model(EditorialPage)
register_model(FAQ, parents=_article_of)
register_model(Reference, parents=_article_of)
register_model(RelatedArticle, parents=_article_of)
# Not shown on their own, but registered so deleting an article (which cascades
# to them) stays an attributed write instead of an app-wide fallback.
register_model(Review, parents=_article_of)
register_model(PublishOverride, parents=_article_of)

register_page("articles:home", tags={ARTICLE_LISTS})
register_page("articles:list", params={"page"}, tags={ARTICLE_LISTS})
register_page("articles:category", params={"page"}, tags={ARTICLE_LISTS})
register_page("articles:detail", tags={SPECIALTIES})
# A contributor's page lists their published work: a newly published article
# joins it without having been loaded (and tagged) there before.
register_page("articles:contributor", params={"written", "reviewed"}, tags={ARTICLE_LISTS})
register_page("articles:how_we_review")
register_page("articles:feed", tags={ARTICLE_LISTS})
register_page("articles:feed_atom", tags={ARTICLE_LISTS})
# The sitemap also lists therapists: see therapists/cache_tags.py.
register_page("sitemap", tags={ARTICLE_LISTS, "app:articles", "app:therapists", "finder"})

# Scheduled publication and expiry change the public pages without a write.
register_schedule(lambda: Article.objects.next_scheduled_change(), "articles")
