"""The article file format: Markdown with YAML front matter.

One article per file, used by ``import_articles``, ``export_articles`` and the
demo content (``articles/demo/``)::

    ---
    title: Understanding anxiety          # the only required key
    slug: understanding-anxiety           # default: made from the title
    summary: One or two sentences.
    status: published                     # draft | in_review | published | archived
    author: Dr. Example Rivera            # contributor names; created if missing
    author_credentials: MD, psychiatrist  # optional, sets the contributor's credentials
    reviewer: Sam Placeholder             # the stamp's "Medically reviewed by"
    reviewer_credentials: LCSW
    assigned_reviewer: Sam Placeholder    # who does the next review (gets the reminders)
    categories: [Anxiety, Mood]           # names; created if missing
    published: 2025-01-15                 # ISO date, or ISO date-time with offset
    expires: 2027-01-15                   # optional, same form: hidden from then on
    updated: 2025-09-10                   # ISO date of the last substantive update (optional)
    last_reviewed: 2025-06-02             # ISO dates
    next_review_due: 2026-06-02           # default: last_reviewed + the review interval
    image: images/anxiety.webp            # relative to this file
    image_alt: Soft overlapping circles.  # required with an image
    image_credit: Illustration by ...
    image_credit_url: https://example.com/
    related: [sleep-and-mood]             # article slugs, in display order
    references:                           # in display order
      - title: National Institute of Mental Health. Anxiety Disorders.
        url: https://www.nimh.nih.gov/health/topics/anxiety-disorders
    ---
    Body in Markdown. ``## Sections`` and ``### sub-sections``.

    ## FAQs

    ### A question readers ask?

    Its answer, in Markdown.

A level-2 heading titled "FAQs" or "Frequently asked questions" (any case)
ends the body; each level-3 heading after it is one question and the text up
to the next level-3 heading is its answer.

The file is the whole article: a key left out means "empty" (or the model's
default), so re-importing a file makes the article match it. This module
turns text into an ``ArticleDocument`` and back and checks every value; it
knows nothing of the database or of image files (see the ``importing`` package and
``exporting.py``).
"""

import datetime
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_slug
from django.utils import timezone
from django.utils.text import slugify

from .models import Article

FRONT_MATTER_KEYS = (
    "title",
    "slug",
    "summary",
    "status",
    "author",
    "author_credentials",
    "reviewer",
    "reviewer_credentials",
    "assigned_reviewer",
    "categories",
    "published",
    "expires",
    "updated",
    "last_reviewed",
    "next_review_due",
    "image",
    "image_alt",
    "image_credit",
    "image_credit_url",
    "related",
    "references",
)

FAQ_HEADINGS = frozenset({"faqs", "frequently asked questions"})
FAQ_HEADING = "## FAQs"

_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_validate_url = URLValidator(schemes=["http", "https"])


class FormatError(ValueError):
    """The file does not follow the format; the message says why, for a person."""


@dataclass
class ReferenceEntry:
    title: str
    url: str = ""


@dataclass
class FAQEntry:
    question: str
    answer: str


@dataclass
class ArticleDocument:
    title: str
    slug: str
    summary: str = ""
    status: str = Article.Status.DRAFT
    author: str = ""
    author_credentials: str | None = None
    reviewer: str = ""
    reviewer_credentials: str | None = None
    assigned_reviewer: str = ""
    categories: list[str] = field(default_factory=list)
    published: datetime.datetime | None = None
    expires: datetime.datetime | None = None
    updated: datetime.date | None = None
    last_reviewed: datetime.date | None = None
    next_review_due: datetime.date | None = None
    image: str = ""
    image_alt: str = ""
    image_credit: str = ""
    image_credit_url: str = ""
    related: list[str] = field(default_factory=list)
    references: list[ReferenceEntry] = field(default_factory=list)
    body: str = ""
    faqs: list[FAQEntry] = field(default_factory=list)


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


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_article(text: str) -> ArticleDocument:
    """Parse one article file's text, raising ``FormatError`` with the reason."""
    data, body, body_first_line = split_front_matter(text)
    unknown = sorted(set(data) - set(FRONT_MATTER_KEYS))
    if unknown:
        raise FormatError(
            f"unknown front matter key(s): {', '.join(unknown)} "
            f"(allowed: {', '.join(FRONT_MATTER_KEYS)})"
        )
    title = _text(data, "title")
    if not title:
        raise FormatError("the front matter has no title (title is required)")
    slug = _text(data, "slug") or slugify(title)
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
        summary=_text(data, "summary"),
        status=_status(data),
        author=_text(data, "author"),
        author_credentials=_optional_text(data, "author_credentials"),
        reviewer=_text(data, "reviewer"),
        reviewer_credentials=_optional_text(data, "reviewer_credentials"),
        assigned_reviewer=_text(data, "assigned_reviewer"),
        categories=_text_list(data, "categories"),
        published=_datetime(data, "published"),
        expires=_datetime(data, "expires"),
        updated=_date(data, "updated"),
        last_reviewed=_date(data, "last_reviewed"),
        next_review_due=_date(data, "next_review_due"),
        image=_text(data, "image"),
        image_alt=_text(data, "image_alt"),
        image_credit=_text(data, "image_credit"),
        image_credit_url=_url(data, "image_credit_url"),
        related=_text_list(data, "related"),
        references=_references(data),
        body=body,
        faqs=faqs,
    )
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
    return document


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


def split_faqs(markdown: str, *, first_line: int = 1) -> tuple[str, list[FAQEntry]]:
    """Split a Markdown document into the article body and its FAQs."""
    lines = normalize_newlines(markdown).split("\n")
    headings = list(_headings(lines))
    start = next(
        (
            index
            for index, level, text in headings
            if level == 2 and " ".join(text.split()).lower() in FAQ_HEADINGS
        ),
        None,
    )
    if start is None:
        return markdown.strip(), []
    faqs: list[FAQEntry] = []
    question_starts = []
    for index, level, text in headings:
        if index <= start:
            continue
        if level <= 2:
            raise FormatError(
                f"line {first_line + index}: heading {lines[index].strip()!r} comes after the "
                "FAQs section, where only ### questions may follow; move it above the FAQs"
            )
        if level == 3:
            if not text:
                raise FormatError(f"line {first_line + index}: a ### FAQ question is empty")
            question_starts.append((index, text))
    intro = "\n".join(lines[start + 1 : question_starts[0][0] if question_starts else None])
    if intro.strip():
        raise FormatError(
            f"line {first_line + start}: text between the FAQs heading and its first "
            "### question would be lost; make it a question or move it above the FAQs"
        )
    for position, (index, question) in enumerate(question_starts):
        end = question_starts[position + 1][0] if position + 1 < len(question_starts) else None
        answer = "\n".join(lines[index + 1 : end]).strip()
        if not answer:
            raise FormatError(
                f"line {first_line + index}: the FAQ question {question!r} has no answer"
            )
        faqs.append(FAQEntry(question=question, answer=answer))
    return "\n".join(lines[:start]).strip(), faqs


def _headings(lines: list[str]):
    """(line index, level, text) of each ATX heading outside fenced code."""
    fence = None
    for index, line in enumerate(lines):
        fence_match = _FENCE.match(line)
        if fence:
            if (
                fence_match
                and fence_match.group(1)[0] == fence[0]
                and len(fence_match.group(1)) >= len(fence)
            ):
                fence = None
            continue
        if fence_match:
            fence = fence_match.group(1)
            continue
        heading = _ATX_HEADING.match(line)
        if heading:
            yield index, len(heading.group(1)), (heading.group(2) or "").strip()


def outside_code_blocks(markdown: str, transform) -> str:
    """Apply ``transform`` to every line that is not inside fenced code."""
    lines = markdown.split("\n")
    fence = None
    for index, line in enumerate(lines):
        fence_match = _FENCE.match(line)
        if fence:
            if (
                fence_match
                and fence_match.group(1)[0] == fence[0]
                and len(fence_match.group(1)) >= len(fence)
            ):
                fence = None
            continue
        if fence_match:
            fence = fence_match.group(1)
            continue
        lines[index] = transform(line)
    return "\n".join(lines)


# Inline Markdown images: ![alt](url "optional title").
MARKDOWN_IMAGE = re.compile(
    r"!\[(?P<alt>[^\]]*)\]\(\s*(?P<url><[^>\n]*>|[^)\s]+)(?P<title>(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*)\)"
)


def is_local_path(url: str) -> bool:
    """True for a path relative to the Markdown file (not a URL, not site-absolute)."""
    parts = urlsplit(url)
    return not (parts.scheme or parts.netloc or url.startswith(("/", "#", "\\")))


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


def _text(data: dict, key: str) -> str:
    return _optional_text(data, key) or ""


def _optional_text(data: dict, key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise FormatError(f"{key} must be text, not {type(value).__name__}")
    return str(value).strip()


def _text_list(data: dict, key: str) -> list[str]:
    value = data.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise FormatError(f"{key} must be a list")
    items: list[str] = []
    for position, item in enumerate(value, start=1):
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise FormatError(f"{key} item {position} must be text")
        text = str(item).strip()
        if text and text not in items:
            items.append(text)
    return items


def _status(data: dict) -> str:
    value = _text(data, "status")
    if not value:
        return Article.Status.DRAFT
    wanted = value.lower().replace("-", "_").replace(" ", "_")
    for choice in Article.Status:
        if wanted in (choice.value, choice.label.lower().replace(" ", "_")):
            return choice.value
    raise FormatError(f"unknown status {value!r} (use one of: {', '.join(Article.Status.values)})")


def _date(data: dict, key: str) -> datetime.date | None:
    value = _text(data, key)
    if not value:
        return None
    try:
        if not _ISO_DATE.match(value):
            raise ValueError
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise FormatError(f"{key}: {value!r} is not a valid ISO date (YYYY-MM-DD)") from None


def _datetime(data: dict, key: str) -> datetime.datetime | None:
    value = _text(data, key)
    if not value:
        return None
    try:
        if _ISO_DATE.match(value):
            day = datetime.date.fromisoformat(value)
            moment = datetime.datetime.combine(day, datetime.time())
        else:
            moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise FormatError(
            f"{key}: {value!r} is not a valid ISO date or date-time "
            "(YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+00:00)"
        ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _url(data: dict, key: str, label: str | None = None) -> str:
    value = _text(data, key)
    if value:
        try:
            _validate_url(value)
        except ValidationError:
            raise FormatError(f"{label or key}: {value!r} is not a valid http(s) URL") from None
    return value


def _references(data: dict) -> list[ReferenceEntry]:
    value = data.get("references")
    if value is None:
        return []
    if not isinstance(value, list):
        raise FormatError("references must be a list of {title, url} items")
    references = []
    for position, item in enumerate(value, start=1):
        if isinstance(item, str):
            item = {"title": item}
        if not isinstance(item, dict):
            raise FormatError(f"references item {position} must have a title and optional url")
        unknown = sorted(set(item) - {"title", "url"})
        if unknown:
            raise FormatError(
                f"references item {position} has unknown key(s) {', '.join(map(str, unknown))}"
            )
        title = _text(item, "title")
        if not title:
            raise FormatError(f"references item {position} has no title")
        url = _url(item, "url", label=f"references item {position} url")
        references.append(ReferenceEntry(title=title, url=url))
    return references
