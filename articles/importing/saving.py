"""One parsed article file turned into rows, inside the transaction its import runs in."""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.utils import timezone
from django.utils.text import slugify

from ..frontmatter import ArticleDocument
from ..models import FAQ, Article, Category, Contributor, Reference, Review
from . import images
from .images import PreparedImage
from .results import ImportFileError, clean, validation_message


@dataclass
class ArticleFile:
    """A parsed file with its images checked and re-encoded, nothing written yet."""

    path: Path
    document: ArticleDocument
    hero: PreparedImage | None
    body_images: dict[str, PreparedImage]


@dataclass
class Children:
    faqs: list[FAQ]
    references: list[Reference]
    categories: list[Category]


def save_article(
    storage: Storage, file: ArticleFile, update_existing: bool, written: list[str]
) -> str:
    """Create or update the file's article; say which: created, updated, unchanged, skipped."""
    document = file.document
    article = Article.objects.filter(slug=document.slug).first()
    created = article is None
    if not created and not update_existing:
        return "skipped"
    article = article or Article(slug=document.slug)

    wanted, related_rows_changed = _wanted_fields(article, document)
    before = _snapshot(article, wanted)
    for name, value in wanted.items():
        setattr(article, name, value)
    # The name the hero will most likely get, so validation sees the image.
    article.image.name = file.hero.target_name if file.hero else ""
    children = _validated_children(article, document)

    # Everything is checked: only now copy images into media.
    _store_images(storage, article, file, children.faqs, written)
    changes = _changed_children(article, created, children)
    content_changed = before != _snapshot(article, wanted) or any(changes)
    if content_changed:
        article.save()
    _write_children(article, children, *changes)
    stamp = (article.reviewer, article.last_reviewed)
    if created or stamp != (before["reviewer"], before["last_reviewed"]):
        record_imported_review(article, file.path)
    if created:
        return "created"
    return "updated" if content_changed or related_rows_changed else "unchanged"


def _wanted_fields(article: Article, document: ArticleDocument) -> tuple[dict, bool]:
    """The article's fields as the file gives them, and whether a contributor changed."""
    author, author_changed = _contributor(document.author, document.author_credentials)
    reviewer, reviewer_changed = _contributor(document.reviewer, document.reviewer_credentials)
    if reviewer is not None and reviewer == author and not settings.ALLOW_SELF_REVIEW:
        # The stamp would say the author vouched for their own text
        # (articles/signing.py): refused here as in the admin.
        raise ImportFileError(
            f"reviewer: {reviewer.name} is also the author; a medical review must be "
            "done by someone else (ALLOW_SELF_REVIEW is off)."
        )
    assigned_reviewer, assigned_changed = _contributor(document.assigned_reviewer, None)

    published_at = document.published
    if published_at is None and document.status == Article.Status.PUBLISHED:
        # Keep the original publication time of an article re-imported
        # without a date, rather than moving it to "now" on every import.
        published_at = article.published_at
    next_review_due = document.next_review_due
    if next_review_due is None and document.last_reviewed == article.last_reviewed:
        # No date in the file: the model's default (set on save) stands,
        # and one computed by an earlier import is not recomputed.
        next_review_due = article.next_review_due
    wanted = {
        "title": document.title,
        "summary": document.summary,
        "status": document.status,
        "author": author,
        "reviewer": reviewer,
        "assigned_reviewer": assigned_reviewer,
        "published_at": published_at,
        "expires_at": document.expires,
        # No `updated` key: no "Updated" line, whatever an earlier import said.
        "last_substantive_update": document.updated,
        "last_reviewed": document.last_reviewed,
        "next_review_due": next_review_due,
        "image_alt": document.image_alt,
        "image_credit": document.image_credit,
        "image_credit_url": document.image_credit_url,
    }
    return wanted, author_changed or reviewer_changed or assigned_changed


def _snapshot(article: Article, wanted: dict) -> dict:
    values = {name: getattr(article, name) for name in wanted}
    values.update(body=article.body, image=article.image.name if article.image else "")
    return values


def _validated_children(article: Article, document: ArticleDocument) -> Children:
    summary_limit = Article._meta.get_field("summary").max_length
    if len(document.summary) > summary_limit:
        raise ImportFileError(f"summary is longer than {summary_limit} characters")
    article.full_clean(exclude={"body", "summary", "image"}, validate_unique=False)
    faqs = [FAQ(question=faq.question, answer=faq.answer) for faq in document.faqs]
    references = [Reference(citation=ref.title, url=ref.url) for ref in document.references]
    for item in [*faqs, *references]:
        try:
            item.full_clean(exclude={"article", "order"})
        except ValidationError as exc:
            kind = "FAQ" if isinstance(item, FAQ) else "reference"
            raise ImportFileError(f"{kind} {item}: {validation_message(exc)}") from None
    return Children(faqs, references, _categories(document.categories))


def _store_images(
    storage: Storage, article: Article, file: ArticleFile, faqs: list[FAQ], written: list[str]
) -> None:
    for image in [file.hero, *file.body_images.values()]:
        if image is not None:
            image.storage_name = images.store(storage, image, written)
    article.image.name = file.hero.storage_name if file.hero else ""
    article.body = images.with_media_urls(storage, file.document.body, file.body_images)
    for faq, entry in zip(faqs, file.document.faqs, strict=True):
        faq.answer = images.with_media_urls(storage, entry.answer, file.body_images)


def _changed_children(article: Article, created: bool, children: Children) -> tuple[bool, ...]:
    """Whether the FAQs, the references and the categories differ from the stored ones."""
    if created:
        return True, True, True
    old_faqs = list(article.faqs.values_list("question", "answer"))
    old_refs = list(article.references.values_list("citation", "url"))
    old_categories = set(article.categories.values_list("pk", flat=True))
    return (
        old_faqs != [(faq.question, faq.answer) for faq in children.faqs],
        old_refs != [(ref.citation, ref.url) for ref in children.references],
        old_categories != {category.pk for category in children.categories},
    )


def _write_children(
    article: Article, children: Children, faqs: bool, references: bool, categories: bool
) -> None:
    if faqs:
        article.faqs.all().delete()
        for order, faq in enumerate(children.faqs):
            faq.article = article
            faq.order = order
            faq.save()
    if references:
        article.references.all().delete()
        for order, reference in enumerate(children.references):
            reference.article = article
            reference.order = order
        Reference.objects.bulk_create(children.references)
    if categories:
        article.categories.set(children.categories)


def record_imported_review(article: Article, path: Path) -> None:
    """The review behind an imported stamp, so the admin's review history shows it.

    Imports restore the stamp's fields as the file gives them and do not
    recompute them from reviews (see articles/publishing.py); this record
    only says where the stamp came from. A date in the future cannot be a
    review (``record_review`` refuses one too), and one already on record is
    not repeated.
    """
    reviewer, reviewed_on = article.reviewer, article.last_reviewed
    if reviewer is None or reviewed_on is None or reviewed_on > timezone.localdate():
        return
    review = {
        "reviewer": reviewer,
        "reviewed_on": reviewed_on,
        "scope": Review.Scope.FULL,
        "outcome": Review.Outcome.APPROVED,
    }
    if not article.reviews.filter(**review).exists():
        Review.objects.create(article=article, notes=f"Imported from {path.name}", **review)


def _contributor(name: str, credentials: str | None) -> tuple[Contributor | None, bool]:
    if not name:
        return None, False
    contributor = Contributor.objects.filter(name__iexact=name).order_by("pk").first()
    if contributor is None:
        contributor = Contributor(
            name=name, slug=_unique_slug(Contributor, name), credentials=credentials or ""
        )
        clean(contributor, f"contributor {name!r}")
        contributor.save()
        return contributor, True
    if credentials is not None and contributor.credentials != credentials:
        contributor.credentials = credentials
        clean(contributor, f"contributor {name!r}")
        contributor.save(update_fields=["credentials"])
        return contributor, True
    return contributor, False


def _categories(names: list[str]) -> list[Category]:
    categories = []
    for name in names:
        category = Category.objects.filter(name__iexact=name).order_by("pk").first()
        if category is None:
            category = Category(name=name, slug=_unique_slug(Category, name))
            clean(category, f"category {name!r}")
            category.save()
        categories.append(category)
    return categories


def _unique_slug(model, name: str) -> str:
    max_length = model._meta.get_field("slug").max_length
    base = slugify(name)[: max_length - 4] or model._meta.model_name
    slug, suffix = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug
