"""Structured data (JSON-LD) for search engines and link previews.

Absolute URLs come from ``mhsite.site.absolute_url`` (on ``settings.SITE_URL``,
never the request's Host header); it is re-exported here for the app's modules.
"""

import datetime
import html
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.html import strip_tags

from mhsite.site import absolute_url
from mhsite.siteurl import site_url

from .models import FAQ, Article, Contributor

SCHEMA_CONTEXT = "https://schema.org"

# Inside <script> the HTML parser ends the element at "</script" and treats
# "<!--" specially, whatever JSON thinks; these escapes keep the JSON valid
# and make it impossible for content to close the element.
_SCRIPT_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
    ord("\u2028"): "\\u2028",
    ord("\u2029"): "\\u2029",
}


def json_for_script(data: object) -> str:
    """Serialize ``data`` for the body of a ``<script type="application/ld+json">``."""
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)


def _iso_datetime(value: datetime.datetime) -> str:
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def _bcp47(language_code: str) -> str:
    """Django's "en-us" as the "en-US" form schema.org readers expect."""
    language, _, region = language_code.partition("-")
    return f"{language}-{region.upper()}" if region else language


def _html_to_text(fragment: str) -> str:
    return " ".join(html.unescape(strip_tags(fragment)).split())


def person_jsonld(contributor: Contributor) -> dict:
    person = {
        "@type": "Person",
        "name": contributor.name,
        "url": absolute_url(contributor.get_absolute_url()),
    }
    if contributor.credentials:
        person["jobTitle"] = contributor.credentials
        person["hasCredential"] = {
            "@type": "EducationalOccupationalCredential",
            "name": contributor.credentials,
        }
    return person


def article_jsonld(article: Article) -> dict:
    """A ``MedicalWebPage`` describing the article, its author and its medical review."""
    data = {
        "@context": SCHEMA_CONTEXT,
        "@type": "MedicalWebPage",
        "url": absolute_url(article.get_absolute_url()),
        "headline": article.title,
        "name": article.title,
        "description": article.summary,
        "inLanguage": _bcp47(settings.LANGUAGE_CODE),
        "publisher": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": site_url(),
        },
    }
    if article.published_at:
        data["datePublished"] = _iso_datetime(article.published_at)
        # The editor-declared substantive update, not the last save: a typo fix
        # is not news to readers or search engines (articles/updates.py).
        updated = article.updated_on
        data["dateModified"] = updated.isoformat() if updated else data["datePublished"]
    # A review no longer covers text changed since it (articles/reviews.py).
    if article.last_reviewed and not article.changed_since_review:
        data["lastReviewed"] = article.last_reviewed.isoformat()
        if article.reviewer_id:
            data["reviewedBy"] = person_jsonld(article.reviewer)
    if article.author_id:
        data["author"] = person_jsonld(article.author)
    if article.image:
        data["image"] = absolute_url(article.image.url)
    return data


def contributor_jsonld(contributor: Contributor) -> dict:
    """A ``ProfilePage`` about the contributor, for their public page."""
    person = person_jsonld(contributor)
    if contributor.photo:
        person["image"] = absolute_url(contributor.photo.url)
    return {
        "@context": SCHEMA_CONTEXT,
        "@type": "ProfilePage",
        "url": person["url"],
        "mainEntity": person,
    }


def faq_jsonld(faqs: list[FAQ]) -> dict | None:
    """A ``FAQPage`` for an article's FAQs (already fetched), or None when there are none."""
    if not faqs:
        return None
    return {
        "@context": SCHEMA_CONTEXT,
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": faq.question,
                "acceptedAnswer": {"@type": "Answer", "text": _html_to_text(faq.answer_html)},
            }
            for faq in faqs
        ],
    }
