"""Article file text to an ``ArticleDocument``, and back."""

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.utils import timezone
from django.utils.text import slugify

from . import values
from .document import FRONT_MATTER_KEYS, ArticleDocument, FormatError
from .sections import FAQ_HEADING, normalize_newlines, split_faqs


class _FrontMatterLoader(yaml.SafeLoader):
    """``yaml.safe_load`` without implicit dates.

    PyYAML turns ``2024-02-30`` into an exception and ``2024-02-03`` into a
    date before we see it; keeping dates as text lets this module parse them
    itself and name the key when one is wrong.
    """


_FrontMatterLoader.yaml_implicit_resolvers = {
    first_char: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first_char, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_article(text: str) -> ArticleDocument:
    """Parse one article file's text, raising ``FormatError`` with the reason."""
    data, body, body_first_line = split_front_matter(text)
    unknown = sorted(set(data) - set(FRONT_MATTER_KEYS))
    if unknown:
        raise FormatError(
            f"unknown front matter key(s): {', '.join(unknown)} "
            f"(allowed: {', '.join(FRONT_MATTER_KEYS)})"
        )
    title = values.text(data, "title")
    if not title:
        raise FormatError("the front matter has no title (title is required)")
    slug = values.text(data, "slug") or slugify(title)
    if not slug:
        raise FormatError(f"cannot make a slug from the title {title!r}; add a slug key")
    try:
        validate_slug(slug)
    except ValidationError:
        raise FormatError(
            f"slug {slug!r} is not valid: use only letters, numbers, hyphens and underscores"
        ) from None
    body, faqs = split_faqs(body, first_line=body_first_line)
    document = ArticleDocument(
        title=title,
        slug=slug,
        summary=values.text(data, "summary"),
        status=values.status(data),
        author=values.text(data, "author"),
        author_credentials=values.optional_text(data, "author_credentials"),
        reviewer=values.text(data, "reviewer"),
        reviewer_credentials=values.optional_text(data, "reviewer_credentials"),
        assigned_reviewer=values.text(data, "assigned_reviewer"),
        categories=values.text_list(data, "categories"),
        published=values.iso_datetime(data, "published"),
        expires=values.iso_datetime(data, "expires"),
        updated=values.iso_date(data, "updated"),
        last_reviewed=values.iso_date(data, "last_reviewed"),
        next_review_due=values.iso_date(data, "next_review_due"),
        image=values.text(data, "image"),
        image_alt=values.text(data, "image_alt"),
        image_credit=values.text(data, "image_credit"),
        image_credit_url=values.http_url(data, "image_credit_url"),
        related=values.text_list(data, "related"),
        references=values.references(data),
        body=body,
        faqs=faqs,
    )
    _check_consistency(document)
    return document


def _check_consistency(document: ArticleDocument) -> None:
    """The rules between keys, once each value is valid on its own."""
    if document.image and not document.image_alt:
        raise FormatError("image is set but image_alt is missing (every image needs alt text)")
    if (
        document.last_reviewed
        and document.next_review_due
        and document.next_review_due < document.last_reviewed
    ):
        raise FormatError("next_review_due is before last_reviewed")
    if document.updated and document.updated > timezone.localdate():
        raise FormatError(f"updated: {document.updated} is in the future")
    if document.published and document.expires and document.expires <= document.published:
        raise FormatError("expires must be after published")


def split_front_matter(text: str) -> tuple[dict, str, int]:
    """The front matter as a dict, the Markdown after it and its first line number."""
    lines = normalize_newlines(text.removeprefix("\ufeff")).split("\n")
    if lines[0].rstrip() != "---":
        raise FormatError("the file does not start with a '---' line opening the front matter")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            break
    else:
        raise FormatError("the front matter is not closed by a '---' line")
    try:
        data = yaml.load("\n".join(lines[1:index]), Loader=_FrontMatterLoader)  # noqa: S506
    except yaml.YAMLError as exc:
        raise FormatError(f"invalid YAML in the front matter: {exc}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FormatError("the front matter must be a set of 'key: value' lines")
    return data, "\n".join(lines[index + 1 :]), index + 2


def dump_article(document: ArticleDocument) -> str:
    """The file text for a document; ``parse_article`` reads it back unchanged."""
    data: dict = {"title": document.title, "slug": document.slug}
    optional = {
        "summary": document.summary,
        "status": document.status,
        "author": document.author,
        "author_credentials": document.author_credentials,
        "reviewer": document.reviewer,
        "reviewer_credentials": document.reviewer_credentials,
        "assigned_reviewer": document.assigned_reviewer,
        "categories": list(document.categories),
        "published": document.published.isoformat() if document.published else None,
        "expires": document.expires.isoformat() if document.expires else None,
        "updated": document.updated,
        "last_reviewed": document.last_reviewed,
        "next_review_due": document.next_review_due,
        "image": document.image,
        "image_alt": document.image_alt,
        "image_credit": document.image_credit,
        "image_credit_url": document.image_credit_url,
        "related": list(document.related),
        "references": [
            {"title": ref.title, "url": ref.url} if ref.url else {"title": ref.title}
            for ref in document.references
        ],
    }
    data.update({key: value for key, value in optional.items() if value})
    front_matter = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    parts = [f"---\n{front_matter}---\n"]
    if document.body:
        parts.append(document.body + "\n")
    if document.faqs:
        parts.append(FAQ_HEADING + "\n")
        parts.extend(f"### {faq.question}\n\n{faq.answer}\n" for faq in document.faqs)
    return "\n".join(parts)
