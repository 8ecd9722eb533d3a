"""A small published site with every kind of public page, for the whole-site tests."""

import io
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.models import Article, Category
from tests.factories import link_related, make_article, make_category, make_faq, make_reference
from tests.therapist_factories import make_term, make_therapist


def png_upload(name: str = "hero.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (90, 140, 120)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@dataclass
class PublicSite:
    article: Article
    category: Category
    therapist: object

    def urls(self) -> dict[str, str]:
        """Every public page, by a short name."""
        return {
            "home": "/",
            "index": "/articles/",
            "index page 2": "/articles/?page=1",
            "category": self.category.get_absolute_url(),
            "article": self.article.get_absolute_url(),
            "finder": "/therapists/",
            "finder filtered": "/therapists/?q=anxiety&accepting=on&sort=",
            "profile": self.therapist.get_absolute_url(),
            "rss feed": "/feed/",
            "atom feed": "/feed/atom/",
            "sitemap": "/sitemap.xml",
            "robots": "/robots.txt",
            "404": "/articles/no-such-article/",
        }


def build_public_site() -> PublicSite:
    category = make_category(name="Anxiety", description="Living with worry.")
    article = make_article(
        title="Understanding worry",
        categories=[category],
        image=png_upload(),
        image_alt="A calm green square",
        image_credit="Example Photographer",
        image_credit_url="https://example.com/photographer",
        body="Intro.\n\n## What worry is\n\nText.\n\n## When to get help\n\nText.\n",
    )
    make_faq(article, question="Is worry normal?", answer="Often, yes.")
    make_reference(article)
    link_related(article, make_article(title="Sleep and worry", categories=[category]))
    specialty = make_term("specialty", "Anxiety")
    therapist = make_therapist(name="Avery Example", specialties=[specialty])
    return PublicSite(article=article, category=category, therapist=therapist)
