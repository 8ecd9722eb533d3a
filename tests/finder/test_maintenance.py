"""``rebuild_finder``: rebuilds the finder's derived data, and catches data that is not exact."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F

from tests.therapist_factories import make_term, make_therapist
from therapists.finder import maintenance
from therapists.finder.place_counts import PLACE_PAIR_TABLE
from therapists.finder.tables import FinderPair, FinderWordPair
from therapists.models import Therapist


def rebuild_finder(*args: str) -> str:
    out = io.StringIO()
    call_command("rebuild_finder", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def listings(db):
    anxiety = make_term("specialty", "Anxiety", slug="anxiety")
    cbt = make_term("approach", "CBT", slug="cbt")
    return [
        make_therapist(name="Rebuild Example One", specialties=[anxiety], approaches=[cbt]),
        make_therapist(name="Rebuild Example Two", specialties=[anxiety], gender="woman"),
        make_therapist(name="Rebuild Example Hidden", is_published=False, approaches=[cbt]),
    ]


def test_rebuild_finder_leaves_exact_data_exact_on_any_database(listings):
    output = rebuild_finder()
    if connection.vendor == "postgresql":
        assert f"Rebuilt {FinderPair._meta.db_table}" in output
        assert "Verified: the finder's derived data is exact." in output
    else:
        assert "Nothing to rebuild" in output
    assert maintenance.verify() == []


def clear_finder_terms() -> None:
    # Not a model field (SQLite has no arrays): only SQL reaches it.
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Therapist._meta.db_table} SET finder_terms = '{{}}'")  # noqa: S608


def _run(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


# Each way the derived data can go wrong, and what verify() names.
CORRUPTIONS = [
    (clear_finder_terms, "finder_terms"),
    (lambda: Therapist.objects.update(search_vector=None), "search_vector"),
    (lambda: FinderPair.objects.filter(a=0).delete(), FinderPair._meta.db_table),
    (
        lambda: FinderWordPair.objects.update(listings=F("listings") + 1),
        FinderWordPair._meta.db_table,
    ),
    (lambda: _run(f"DELETE FROM {PLACE_PAIR_TABLE} WHERE code = 0"), PLACE_PAIR_TABLE),  # noqa: S608
]


@pytest.mark.postgres
@pytest.mark.parametrize(("corruption", "named"), CORRUPTIONS)
def test_check_names_data_that_is_not_exact_and_changes_nothing(listings, corruption, named):
    corruption()
    before = maintenance.verify()
    assert named in {mismatch.what for mismatch in before}
    with pytest.raises(CommandError, match=f"{named}: .* rows differ"):
        rebuild_finder("--check")
    assert maintenance.verify() == before


@pytest.mark.postgres
@pytest.mark.parametrize(("corruption", "named"), CORRUPTIONS)
def test_rebuild_repairs_each_kind_of_damage(listings, corruption, named):
    corruption()
    output = rebuild_finder()
    assert "Verified" in output
    assert maintenance.verify() == []
    # What the finder reads for an unfiltered search: both listed listings.
    assert FinderPair.objects.get(a=0, b=0).listings == 2


@pytest.mark.postgres
def test_rebuild_reports_the_rows_it_wrote(listings):
    output = rebuild_finder()
    assert "Rebuilt search_vector: 3 rows." in output
    assert "Rebuilt finder_terms: 3 rows." in output
