"""Readable differences between two saved versions of an article (django-reversion).

A version of an article is the article's fields plus its FAQs, references and
related links, saved together in one reversion revision. Each is turned into
labelled plain text and compared line by line with difflib; the template
escapes every line, so nothing an editor typed is ever rendered as HTML.
"""

import difflib
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from reversion.models import Version

from .models import FAQ, Article, Category, Contributor, Reference, RelatedArticle

ARTICLE_FIELDS = [
    ("title", "Title"),
    ("slug", "Slug"),
    ("summary", "Summary"),
    ("body", "Body"),
    ("status", "Status"),
    ("published_at", "Published"),
    ("expires_at", "Expires"),
    ("image", "Image"),
    ("image_alt", "Image alt text"),
    ("image_credit", "Image credit"),
    ("image_credit_url", "Image credit URL"),
]


@dataclass
class DiffLine:
    kind: str  # "added", "removed", "context" or "gap"
    text: str


@dataclass
class FieldDiff:
    label: str
    lines: list[DiffLine]


def _related_versions(version: Version, model) -> list[dict]:
    content_type = ContentType.objects.get_for_model(model)
    return [
        related.field_dict
        for related in version.revision.version_set.filter(content_type=content_type)
    ]


def version_sections(version: Version) -> dict[str, str]:
    """The article as it was in this version, as labelled plain text."""
    fields = version.field_dict
    sections = {label: str(fields.get(name) or "") for name, label in ARTICLE_FIELDS}
    author = Contributor.objects.filter(pk=fields.get("author_id")).first()
    reviewer = Contributor.objects.filter(pk=fields.get("reviewer_id")).first()
    sections["Author"] = str(author or "")
    sections["Medical reviewer"] = str(reviewer or "")
    category_ids = fields.get("categories") or []
    sections["Categories"] = ", ".join(
        Category.objects.filter(pk__in=category_ids).values_list("name", flat=True)
    )
    faqs = sorted(_related_versions(version, FAQ), key=lambda faq: (faq["order"], faq["id"]))
    sections["FAQs"] = "\n\n".join(f"Q: {faq['question']}\nA: {faq['answer']}" for faq in faqs)
    references = sorted(
        _related_versions(version, Reference), key=lambda ref: (ref["order"], ref["id"])
    )
    sections["References"] = "\n".join(
        f"{ref['citation']} {ref['url']}".strip() for ref in references
    )
    links = sorted(
        _related_versions(version, RelatedArticle), key=lambda link: (link["order"], link["id"])
    )
    titles = dict(
        Article.objects.filter(pk__in=[link["target_id"] for link in links]).values_list(
            "pk", "title"
        )
    )
    sections["Related articles"] = "\n".join(
        titles.get(link["target_id"], f"(deleted article #{link['target_id']})") for link in links
    )
    return sections


def diff_versions(older: Version, newer: Version) -> list[FieldDiff]:
    """The sections that differ between two versions, as unified-diff lines."""
    before, after = version_sections(older), version_sections(newer)
    diffs = []
    for label in after:
        if before.get(label, "") == after[label]:
            continue
        lines = []
        for line in difflib.unified_diff(
            before.get(label, "").splitlines(),
            after[label].splitlines(),
            lineterm="",
            n=2,
        ):
            if line.startswith(("---", "+++")):
                continue
            if line.startswith("@@"):
                lines.append(DiffLine("gap", "…"))
            elif line.startswith("+"):
                lines.append(DiffLine("added", line[1:]))
            elif line.startswith("-"):
                lines.append(DiffLine("removed", line[1:]))
            else:
                lines.append(DiffLine("context", line[1:]))
        diffs.append(FieldDiff(label, lines))
    return diffs
