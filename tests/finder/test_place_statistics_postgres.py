"""PostgreSQL: the planner knows a city's listings are in its region (migration 0022).

Without statistics of the two together, it multiplies their selectivities,
estimates "Chicago, IL" at a fraction of its listings and reads all of them
to sort the first page (0.6 s at 1,000,000 listings) instead of walking the
covering index in the page's order.
"""

import json

import pytest
from django.db import connection

from tests.therapist_factories import make_therapist
from therapists.finder.geo import location_filter
from therapists.models import Therapist

pytestmark = pytest.mark.postgres
TABLE = Therapist._meta.db_table


def copies(model: Therapist, count: int, city: str, region: str, places: int = 1) -> None:
    """``count`` copies of ``model`` in ``places`` cities, each in its own region
    ("Town0" in "Region0", ...; the names themselves when there is one)."""
    columns = ", ".join(
        field.column
        for field in Therapist._meta.concrete_fields
        if field.column not in {"id", "slug", "city", "region"}
    )
    suffix = f"|| (n %% {places})" if places > 1 else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} ({columns}, slug, city, region) "  # noqa: S608
            f"SELECT {columns}, %s || n, %s {suffix}, %s {suffix} "
            f"FROM {TABLE}, generate_series(1, %s) AS n WHERE id = %s",
            [f"copy-{city}-", city, region, count, model.pk],
        )


def estimated_rows(queryset) -> float:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    node = plan[0]["Plan"]
    while "Plans" in node and node["Node Type"] != "Bitmap Heap Scan":
        scans = [child for child in node["Plans"] if "Scan" in child["Node Type"]]
        node = scans[0] if scans else node["Plans"][0]
    return node["Plan Rows"]


def test_a_city_and_its_region_are_estimated_together(db):
    model = make_therapist(city="Bigcity", region="Bigregion")
    copies(model, 1000, "Bigcity", "Bigregion")
    copies(model, 3000, "Town", "Region", places=30)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {TABLE}")
    located = Therapist.objects.listed().filter(location_filter("Bigcity, Bigregion"))
    actual = located.count()
    assert actual == 1001
    # Taken as independent, a quarter of the city times a quarter of the region.
    assert estimated_rows(located.order_by()) >= 0.7 * actual
