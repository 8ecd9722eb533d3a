"""What an article file holds: its front matter keys and the document it parses into."""

import datetime
from dataclasses import dataclass, field

from ..models import Article

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
