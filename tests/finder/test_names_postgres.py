"""PostgreSQL: the table of distinct names (migration 0020) and the text search built on it.

The table must equal a recount (``GROUP BY name`` over every listing) after
every kind of write, and the search through it must find, rank and count
exactly what the previous expression (``name %> q`` on the listings) did.
"""

import io

import pytest
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.core.management import call_command
from django.db import connection
from django.db.models import Case, F, FloatField, Q, Value, When
from django.db.models.functions import Concat

from tests.therapist_factories import days_ago, make_therapist
from therapists.finder import maintenance
from therapists.finder.counts import AggregateCounts
from therapists.finder.names import NAME_TABLE, refresh_names, stale_names
from therapists.finder.query import FinderParams, FinderSearch
from therapists.finder.text import SEARCH_CONFIG, SimilarNames
from therapists.models import Therapist

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

NAMES = [
    "Riley Kesley",
    "Avery Kesley",
    "Riley Kesby",
    "Mei Morwell",
    "Oren Morwell",
    "Kes Ley",
    "Jordan O'Neil-Kesley",
    "Ada Lamford",
    "Sun Okafor",
    "Sun Okafor",
]
QUERIES = ["Kesley", "Kesly", "Morwel", "Okafur", "Riley Kesley", "Lam", "kes ley", "Nobody"]


def stored() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, listings FROM {NAME_TABLE} WHERE listings <> 0")  # noqa: S608
        return dict(cursor.fetchall())


def recount() -> dict[str, int]:
    counts: dict[str, int] = {}
    for name in Therapist.objects.values_list("name", flat=True):
        counts[name] = counts.get(name, 0) + 1
    return counts


def assert_exact() -> None:
    assert stored() == recount()
    assert stale_names() == 0


@pytest.fixture
def listings():
    made = []
    for number, name in enumerate(NAMES):
        made.append(
            make_therapist(
                name=name,
                # Ties in every sort key but the id, stale ones, an unlisted one.
                availability_confirmed_on=days_ago(400 if number % 3 == 0 else 1),
                is_published=number != 4,
                bio="Kesley method for grief." if number == 8 else "Calm sessions.",
            )
        )
    assert_exact()
    return made


def test_saves_creations_and_renames_keep_the_names_exact(listings):
    listings[0].name = "Riley Kesleigh"
    listings[0].save()
    listings[1].is_published = False  # not a name change: nothing written
    listings[1].save()
    make_therapist(name="Riley Kesleigh")
    make_therapist(name="A New Name")
    assert_exact()
    assert stored()["Riley Kesleigh"] == 2
    assert "Riley Kesley" not in stored()


def test_bulk_writes_raw_sql_and_deletes_keep_the_names_exact(listings):
    pks = [therapist.pk for therapist in listings]
    Therapist.objects.filter(pk__in=pks[:4]).update(name=Concat(F("name"), Value(" Jr")))
    Therapist.objects.filter(pk__in=pks[4:6]).update(name="Same Name")
    Therapist.objects.filter(pk__in=pks[6:8]).update(sliding_scale=~F("sliding_scale"))
    assert_exact()
    Therapist.objects.bulk_create(
        [
            Therapist(
                name="Bulk Name", slug=f"bulk-name-{n}", availability_confirmed_on=days_ago(n)
            )
            for n in range(3)
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE therapists_therapist SET name = upper(name) WHERE id = ANY(%s)", [pks[8:]]
        )
    assert_exact()
    listings[5].delete()
    Therapist.objects.filter(name="Bulk Name").delete()
    assert_exact()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM therapists_therapist WHERE id = %s", [pks[6]])
    assert_exact()
    # Names no listing has any more stay, at zero, until a rebuild.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {NAME_TABLE} WHERE listings = 0")  # noqa: S608
        assert cursor.fetchone()[0] > 0


def test_truncating_the_listings_empties_the_names(listings):
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE therapists_therapist CASCADE")
    assert stored() == {} == recount()


def test_rebuild_finder_repairs_the_names_and_drops_the_zero_rows(listings):
    listings[0].delete()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {NAME_TABLE} SET listings = listings + 1 WHERE name = 'Sun Okafor'")  # noqa: S608
        cursor.execute(f"DELETE FROM {NAME_TABLE} WHERE name = 'Ada Lamford'")  # noqa: S608
    # One count off (stored and expected each lack the other's row), one name missing.
    assert stale_names() == 3
    assert [m.what for m in maintenance.verify()] == [NAME_TABLE]
    out = io.StringIO()
    call_command("rebuild_finder", stdout=out)
    assert "Verified" in out.getvalue()
    assert_exact()
    assert refresh_names() == len(recount())
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {NAME_TABLE} WHERE listings = 0")  # noqa: S608
        assert cursor.fetchone()[0] == 0


def test_the_seeder_fills_the_names(db):
    call_command("seed_therapists", "--count", "40", "--seed", "5", stdout=io.StringIO())
    assert_exact()
    call_command(
        "seed_therapists",
        "--count",
        "10",
        "--seed",
        "6",
        "--method",
        "batches",
        stdout=io.StringIO(),
    )
    assert_exact()


# The new path against the old expression -----------------------------------


def old_filter_and_rank(q: str) -> tuple[Q, object]:
    """The text condition and relevance as written before migration 0020."""
    query = SearchQuery(q, config=SEARCH_CONFIG, search_type="websearch")
    similar = Q(name__trigram_word_similar=q)
    rank = SearchRank(F("search_vector"), query) + Case(
        When(similar, then=TrigramWordSimilarity(q, "name")),
        default=Value(0.0),
        output_field=FloatField(),
    )
    return Q(search_vector=query) | similar, rank


@pytest.mark.parametrize("q", QUERIES)
def test_the_names_found_are_the_listings_names_like_the_words(listings, q):
    old = set(Therapist.objects.filter(name__trigram_word_similar=q).values_list("name", flat=True))
    assert set(SimilarNames(q).names()) == old


@pytest.mark.parametrize("q", QUERIES)
def test_results_ranking_and_counts_equal_the_old_expression(listings, q):
    search = FinderSearch(FinderParams(q=q))
    condition, rank = old_filter_and_rank(q)
    old = (
        Therapist.objects.listed()
        .filter(condition)
        .annotate(
            stale_last=Case(When(search.fresh, then=Value(0)), default=Value(1)),
            relevance=rank,
        )
        .order_by("stale_last", F("relevance").desc(), "name", "pk")
    )
    new = search.results().annotate(old_relevance=rank)
    assert list(new.values_list("pk", flat=True)) == list(old.values_list("pk", flat=True))
    for relevance, old_relevance in new.values_list("relevance", "old_relevance"):
        assert relevance == old_relevance
    summary = search.summary_counts()
    assert summary["total"] == old.count()
    assert summary == AggregateCounts(search).summary_from_aggregate()
    assert search.vocabulary_counts() == AggregateCounts(search).vocabulary_from_relations()
