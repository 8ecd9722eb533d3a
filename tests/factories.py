"""Small helpers that build the test data each test needs, and nothing more."""

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import FAQ, Article, Category, Contributor, Reference, RelatedArticle

_counter = itertools.count(1)


def _next() -> int:
    return next(_counter)


def make_category(**fields) -> Category:
    n = _next()
    fields.setdefault("name", f"Category {n}")
    fields.setdefault("slug", f"category-{n}")
    return Category.objects.create(**fields)


def make_contributor(**fields) -> Contributor:
    n = _next()
    fields.setdefault("name", f"Dr. Example Person {n}")
    fields.setdefault("slug", f"example-person-{n}")
    fields.setdefault("credentials", "MD, psychiatrist")
    return Contributor.objects.create(**fields)


def make_article(*, categories=(), **fields) -> Article:
    n = _next()
    today = timezone.localdate()
    fields.setdefault("title", f"Article {n}")
    fields.setdefault("slug", f"article-{n}")
    fields.setdefault("summary", f"A short summary of article {n}.")
    fields.setdefault("body", "Intro paragraph.\n\n## First section\n\nText.\n")
    fields.setdefault("status", Article.Status.PUBLISHED)
    if fields["status"] == Article.Status.PUBLISHED:
        fields.setdefault("published_at", timezone.now() - datetime.timedelta(days=1))
    if "author" not in fields:
        fields["author"] = make_contributor()
    if "reviewer" not in fields:
        fields["reviewer"] = make_contributor(credentials="PhD, clinical psychologist")
    fields.setdefault("last_reviewed", today - datetime.timedelta(days=10))
    article = Article.objects.create(**fields)
    if categories:
        article.categories.set(categories)
    return article


def make_faq(article: Article, **fields) -> FAQ:
    n = _next()
    fields.setdefault("question", f"Question {n}?")
    fields.setdefault("answer", f"Answer {n}.")
    fields.setdefault("order", n)
    return FAQ.objects.create(article=article, **fields)


def make_reference(article: Article, **fields) -> Reference:
    n = _next()
    fields.setdefault("citation", f"Example Author. Example study {n}. Journal of Examples.")
    fields.setdefault("url", f"https://example.com/study-{n}")
    fields.setdefault("order", n)
    return Reference.objects.create(article=article, **fields)


def link_related(article: Article, target: Article, order: int = 0) -> RelatedArticle:
    return RelatedArticle.objects.create(article=article, target=target, order=order)


def make_staff_user(username: str = "editor", *, superuser: bool = True, **fields):
    user_model = get_user_model()
    fields.setdefault("email", f"{username}@example.com")
    if superuser:
        return user_model.objects.create_superuser(
            username=username, password="pw-for-tests-only", **fields
        )
    return user_model.objects.create_user(
        username=username, password="pw-for-tests-only", is_staff=True, **fields
    )
