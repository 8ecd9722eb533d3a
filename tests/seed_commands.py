"""Running seed_therapists in tests, and what it wrote, independent of primary keys."""

import io

from django.core.management import call_command
from django.db import connection

from therapists.models import Therapist


def seed(count: int, *args: str) -> str:
    out = io.StringIO()
    call_command("seed_therapists", "--count", str(count), *args, stdout=out)
    return out.getvalue()


def snapshot() -> list[tuple]:
    """Every listing's content and relations, independent of primary keys."""
    return [
        (
            t.slug,
            t.name,
            t.city,
            t.latitude,
            t.availability,
            t.availability_confirmed_on,
            t.fee_min,
            t.is_published,
            tuple(t.specialties.values_list("slug", flat=True)),
            tuple(t.languages.values_list("slug", flat=True)),
            tuple(t.telehealth_regions.values_list("slug", flat=True)),
        )
        for t in Therapist.objects.order_by("slug")
    ]


def derived_columns() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, search_vector::text, finder_terms FROM therapists_therapist ORDER BY id"
        )
        return cursor.fetchall()
