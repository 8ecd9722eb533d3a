"""The articles app's models, one module per concern; imported from here everywhere."""

import reversion

from .article import Article
from .content import FAQ, Reference, RelatedArticle
from .pages import ArticlePageParts, EditorialPage, EditorialPageQuerySet
from .review import MedicationTerm, PublishOverride, ReminderLog, Review, ReviewQueue
from .states import (
    ArticleQuerySet,
    ArticleStatus,
    ReviewBadge,
    ReviewState,
    published_condition,
)
from .taxonomy import Category, CategoryQuerySet, Contributor, ContributorQuerySet

# History that loses nothing (django-reversion): every save of an article
# keeps a version that includes its FAQs, references and related links.
# Reviews are versioned so that recovering a deleted article brings its
# review history back too (they are deliberately not followed from Article,
# so reverting an article to an old version never deletes later reviews).
reversion.register(FAQ)
reversion.register(Reference)
reversion.register(RelatedArticle)
reversion.register(Article, follow=["faqs", "references", "related_links"])
reversion.register(Review)

# The search app's models live with the search code (articles/search/models.py).
from articles.search.models import (  # noqa: E402
    CrisisTerm,
    SearchDocument,
    SearchSynonym,
    SearchWord,
    ZeroResultQuery,
)

__all__ = [
    "FAQ",
    "Article",
    "ArticlePageParts",
    "ArticleQuerySet",
    "ArticleStatus",
    "Category",
    "CategoryQuerySet",
    "Contributor",
    "ContributorQuerySet",
    "CrisisTerm",
    "EditorialPage",
    "EditorialPageQuerySet",
    "MedicationTerm",
    "PublishOverride",
    "Reference",
    "RelatedArticle",
    "ReminderLog",
    "Review",
    "ReviewBadge",
    "ReviewQueue",
    "ReviewState",
    "SearchDocument",
    "SearchSynonym",
    "SearchWord",
    "ZeroResultQuery",
    "published_condition",
]
