"""PostgreSQL: the finder's precomputed co-occurrence counts (migrations 0009, 0011) stay exact.

Each test changes listings in some way and then compares the table the
triggers maintain with a count made straight from the listings and their
relation tables, and the finder's counts with the plain ORM counts (the
aggregate and relation-table queries SQLite uses).
"""

import pytest
from django.db import connection
from django.db.models import F
from django.http import QueryDict

from tests.finder.pair_counts import (
    assert_pairs_exact,
    expected_pairs,
    stored_pairs,
    stored_word_pairs,
)
from tests.finder.plain_counts import assert_counts_are_plain, search_for
from tests.therapist_factories import days_ago, make_term, make_therapist
from therapists.finder.codes import GENDER_CODES, TOTAL_CODE
from therapists.finder.maintenance import refresh_finder_pairs
from therapists.finder.query import FinderSearch, load_vocabularies
from therapists.finder.tables import FinderPair
from therapists.forms import FinderForm
from therapists.models import Therapist

pytestmark = pytest.mark.postgres


@pytest.fixture
def terms(db):
    return {
        "anxiety": make_term("specialty", "Anxiety", slug="anxiety"),
        "grief": make_term("specialty", "Grief", slug="grief"),
        "cbt": make_term("approach", "CBT", slug="cbt"),
        "spanish": make_term("language", "Spanish", slug="spanish"),
        "latinx": make_term("community", "Latinx", slug="latinx"),
        "adults": make_term("age_group", "Adults", slug="adults"),
        "plan": make_term("insurance_plan", "Example Plan", slug="example-plan"),
    }


@pytest.fixture
def listings(terms):
    t = terms
    return [
        make_therapist(
            name="Pair Example One",
            latitude=45.5231,
            longitude=-122.6765,
            gender="woman",
            sliding_scale=True,
            specialties=[t["anxiety"], t["grief"]],
            approaches=[t["cbt"]],
            languages=[t["spanish"]],
            communities_identifies=[t["latinx"]],
            insurance_plans=[t["plan"]],
        ),
        make_therapist(
            name="Pair Example Two",
            city="Salem",
            latitude=44.9429,
            longitude=-123.0351,
            gender="non_binary",
            in_person=False,
            availability=Therapist.Availability.WAITLIST,
            specialties=[t["anxiety"]],
            age_groups=[t["adults"]],
        ),
        make_therapist(
            name="Pair Example Three",
            city="Oregon",
            latitude=45.62,
            longitude=-122.51,
            online=False,
            availability_confirmed_on=days_ago(200),
            specialties=[t["grief"]],
            communities_served=[t["latinx"]],
            languages=[t["spanish"]],
        ),
        make_therapist(name="Pair Example Hidden", is_published=False, specialties=[t["grief"]]),
    ]


def test_every_gender_category_has_a_code_in_the_database_function(db):
    assert set(GENDER_CODES) == set(Therapist.Gender.values)
    for value in Therapist.Gender.values:
        therapist = make_therapist(gender=value, sliding_scale=True)
        assert_pairs_exact()
        therapist.delete()


def test_pair_counts_are_exact_after_creating_listings(listings):
    assert_pairs_exact()
    assert stored_pairs()[(TOTAL_CODE, TOTAL_CODE)] == 3


def test_pair_counts_follow_field_edits_publishing_and_deletion(listings, terms):
    one, two, three, hidden = listings
    one.gender = "man"
    one.sliding_scale = False
    one.save()
    assert_pairs_exact()
    one.online = False  # its places gain their "off:" keys (migration 0023)
    one.save()
    assert_pairs_exact()
    two.availability = Therapist.Availability.ACCEPTING
    two.availability_confirmed_on = days_ago(3)
    two.in_person = True
    two.save()
    assert_pairs_exact()
    three.is_published = False
    three.save()
    assert_pairs_exact()
    hidden.is_published = True
    hidden.save()
    assert_pairs_exact()
    one.delete()
    assert_pairs_exact()
    assert stored_pairs()[(TOTAL_CODE, TOTAL_CODE)] == 2


def test_pair_counts_follow_relation_edits_from_either_side_and_term_deletion(listings, terms):
    one, two, three, _hidden = listings
    two.specialties.add(terms["grief"])
    assert_pairs_exact()
    terms["spanish"].therapists.remove(one)
    assert_pairs_exact()
    terms["cbt"].therapists.add(two, three)
    assert_pairs_exact()
    terms["anxiety"].therapists.clear()
    assert_pairs_exact()
    terms["latinx"].delete()
    assert_pairs_exact()


def test_pair_counts_follow_bulk_statements(listings, terms):
    Therapist.objects.filter(gender="woman").update(gender="agender", online=False)
    assert_pairs_exact()
    Therapist.objects.update(is_published=True)
    assert_pairs_exact()
    Therapist.objects.bulk_create(
        [
            Therapist(
                name=f"Bulk Pair {n}",
                slug=f"bulk-pair-{n}",
                availability=Therapist.Availability.ACCEPTING,
                availability_confirmed_on=days_ago(n),
                in_person=bool(n % 2),
                is_published=True,
            )
            for n in range(5)
        ]
    )
    assert_pairs_exact()
    Therapist.objects.filter(name__startswith="Bulk Pair").delete()
    assert_pairs_exact()
    with connection.cursor() as cursor:
        # TRUNCATE refuses to run with Django's deferred foreign key checks pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {Therapist._meta.db_table} CASCADE")
    assert stored_pairs() == {} == expected_pairs()
    assert stored_word_pairs() == {}


def test_rebuilding_the_pair_counts_gives_what_the_triggers_kept(listings):
    kept = stored_pairs()
    FinderPair.objects.update(listings=F("listings") + 7)
    assert refresh_finder_pairs() == len(kept)
    assert stored_pairs() == kept


SEARCHES = [
    "",  # no filter: the totals
    "specialty=anxiety",  # one term
    "specialty=anxiety&specialty=grief",  # two terms of a group: counted from the listings
    "format=online",
    "format=online&format=in_person",
    "gender=woman&gender=non_binary",
    "accepting=on",
    "sliding_scale=on",
    "language=spanish",
    "identity=latinx",
    "specialty=grief&format=in_person",  # two filters: counted from the listings
    "specialty=anxiety&accepting=on&gender=woman&language=spanish",
    # passes of their own for formats and genders beside a vocabulary's
    "specialty=grief&format=online&gender=woman&gender=man&sliding_scale=on",
    "format=in_person&gender=non_binary&accepting=on&max_fee=150",
    "q=example",
    # one word: read from the word counts (migration 0011), the name matches added
    "q=Anxiety",
    "q=Exampel",  # no listing has the word; names like it do
    "q=the",  # a stop word
    "q=grief&specialty=anxiety",  # the specialty pass has only the word left
    "q=grief&specialty=anxiety&specialty=grief&format=online",
    "location=Portland&specialty=grief",
    # the place counts (migration 0015): a city, a region by either spelling,
    # a city named like a region (counted once), a circle mostly inside cells
    "location=Portland",
    "location=Oregon",
    "location=OR",
    "location=Salem&specialty=anxiety",
    "lat=45.5&lng=-122.6&radius=100",
    "lat=45.5&lng=-122.6&radius=100&specialty=grief",
    "lat=45.5&lng=-122.6&radius=25",
    "lat=45.5231&lng=-122.6765&radius=5",
    "lat=45.5&lng=-122.6&radius=50&include_online=on",
    # this place or online, in two parts (online_counts.py): the online listings
    # (pair counts, bitmaps or listings) and the place's others ("off:" keys or listings)
    "location=Portland&include_online=on",
    "location=Oregon&include_online=on",
    "location=Portland, OR&include_online=on",
    "location=97201&include_online=on",
    "lat=45.5&lng=-122.6&radius=100&include_online=on",
    "lat=45.5231&lng=-122.6765&radius=5&include_online=on",
    "location=Portland&include_online=on&specialty=anxiety",
    "location=Portland&include_online=on&format=in_person&gender=woman",
    "location=Salem&include_online=on&q=example",
    "lat=45.5&lng=-122.6&radius=100&location=Portland&include_online=on",
    "max_fee=100",
    "specialty=anxiety&q=nothingmatcheszz",
]


@pytest.mark.parametrize("query", SEARCHES)
def test_finder_counts_equal_plain_counts_of_the_listings(listings, query):
    """Whether a pass reads the pair counts or unnests codes, the numbers are the plain ones."""
    assert_counts_are_plain(search_for(query))


def test_unfiltered_and_one_filter_counts_read_the_pair_table_not_the_listings(
    listings, django_assert_num_queries
):
    for query in ["", "specialty=anxiety", "accepting=on", "gender=woman&gender=man"]:
        params = FinderForm(QueryDict(query), load_vocabularies()).params()
        with django_assert_num_queries(1) as captured:
            FinderSearch(params).summary_counts()
        sql = captured.captured_queries[0]["sql"]
        assert FinderPair._meta.db_table in sql
        assert "unnest" not in sql
