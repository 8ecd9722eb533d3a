"""Demo content for the therapist directory: vocabularies and ~40 fictional listings.

Everyone here is invented: the surnames say so (Example, Sample, Placeholder,
...), contact details use example.com and the 555-01xx numbers reserved for
fiction, and every bio ends by saying it is a demo listing. Dates are relative
to today, so some claims are always fresh and some always stale, and the
finder's "unknown" state and the admin's "needs checking" filter have
something to show.

``load_demo_therapists`` is idempotent: it updates rows by slug and resets
their relations, so running it again leaves the same data.
"""

from collections.abc import Callable
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from ..models import Therapist
from .listings import DEMO_COUNT, demo_listing, demo_slugs
from .vocabularies import ensure_terms, ensure_vocabularies, link_article_categories

__all__ = ["DEMO_COUNT", "ensure_terms", "ensure_vocabularies", "load_demo_therapists"]

RELATION_VOCABULARIES = {
    "specialties": "specialty",
    "approaches": "approach",
    "languages": "language",
    "age_groups": "age_group",
    "insurance_plans": "insurance",
    "communities_served": "community",
    "communities_identifies": "community",
    "faiths": "faith",
    "telehealth_regions": "region",
}


def load_demo_therapists(stdout: TextIO | None = None, *, update: bool = False) -> list[Therapist]:
    """Create the demo vocabularies and listings. Safe to run repeatedly.

    Listings that already exist are kept as editors left them, unless
    ``update`` is true, which resets them (and their stamp dates, relative to
    today) to the demo data.
    """
    write: Callable[[str], object] = stdout.write if stdout else (lambda message: None)
    today = timezone.localdate()
    therapists = []
    created = 0
    with transaction.atomic():
        vocabularies = ensure_vocabularies()
        links = link_article_categories(vocabularies["specialty"])
        existing = {t.slug: t for t in Therapist.objects.filter(slug__in=demo_slugs())}
        for index in range(DEMO_COUNT):
            fields, relations = demo_listing(index, today)
            slug = fields.pop("slug")
            if slug in existing and not update:
                therapists.append(existing[slug])
                continue
            therapist, was_created = Therapist.objects.update_or_create(slug=slug, defaults=fields)
            created += was_created
            for relation, names in relations.items():
                terms = vocabularies[RELATION_VOCABULARIES[relation]]
                getattr(therapist, relation).set([terms[name] for name in names])
            therapists.append(therapist)
    kept = len(therapists) - created if not update else 0
    write(
        f"Demo therapist directory: {len(therapists)} listings ({created} new"
        + (f", {kept} kept as they were" if kept else "")
        + f"), {links} article category links.\n"
    )
    return therapists
