"""A postal code typed as the location is matched through an index (migration 0021).

``location_filter`` matches a postal code by prefix, in any case
(``UPPER(postal_code) LIKE '97205%'``). With only a plain index on the column,
such a search read the whole listing table: 4.9 s at 1,000,000 listings.
"""

import pytest
from django.db import connection

from tests.therapist_factories import make_therapist
from therapists.finder.geo import location_filter
from therapists.models import Therapist

pytestmark = pytest.mark.postgres


def plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (COSTS OFF) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def postal_codes(db):
    """A few chosen codes among 4,000 copies of one listing with other codes, so
    that reading the table is the dearer plan, as it is in a real directory."""
    for code in ["97205", "97205-1234", "97209", "V6B 1A1"]:
        make_therapist(postal_code=code)
    make_therapist(postal_code="97205", is_published=False)
    model = make_therapist(postal_code="10000")
    copied = [
        field.column
        for field in Therapist._meta.concrete_fields
        if field.column not in {"id", "slug", "postal_code"}
    ]
    columns = ", ".join(copied)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Therapist._meta.db_table} ({columns}, slug, postal_code) "  # noqa: S608
            f"SELECT {columns}, 'copy-' || n, (20000 + n)::text "
            f"FROM {Therapist._meta.db_table}, generate_series(1, 4000) AS n WHERE id = %s",
            [model.pk],
        )
        cursor.execute(f"ANALYZE {Therapist._meta.db_table}")


def test_a_postal_code_location_reads_the_postal_index_not_the_table(postal_codes):
    located = Therapist.objects.listed().filter(location_filter("97205"))
    shown = plan(located)
    assert "therapist_postal_upper_idx" in shown
    assert "Seq Scan" not in shown
    assert sorted(located.values_list("postal_code", flat=True)) == ["97205", "97205-1234"]


def test_a_postal_prefix_in_lower_case_matches_through_the_same_index(postal_codes):
    located = Therapist.objects.listed().filter(location_filter("v6b 1"))
    assert "therapist_postal_upper_idx" in plan(located)
    assert list(located.values_list("postal_code", flat=True)) == ["V6B 1A1"]
