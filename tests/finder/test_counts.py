"""The finder's result and facet counts: what they count, how many queries, their cache."""

import pytest
from django.db import connection

from tests.finder.conftest import FINDER, option_counts
from therapists.finder.bitmap_counts import BitmapCounter
from therapists.finder.counts import choose_counters
from therapists.finder.listing_counts import ListingCounter
from therapists.finder.passes import PairCounter, WordCounter, multi_select_passes
from therapists.finder.query import FinderParams, FinderSearch, Term
from therapists.models import Therapist

COUNT_QUERIES = 1 if connection.vendor == "postgresql" else 2


def name_queries(query: str) -> int:
    """PostgreSQL matches a text search's names once, in a statement of its own."""
    return int(connection.vendor == "postgresql" and "q=" in query)


def test_facet_counts_leave_out_their_own_group_but_apply_the_others(client, directory):
    response = client.get(f"{FINDER}?specialty=anxiety&format=online")
    # Specialty counts ignore the specialty selection, but apply "online".
    assert option_counts(response, "specialty") == {"anxiety": 3, "depression": 0, "trauma": 1}
    # Format counts ignore the format selection, but apply "anxiety".
    assert option_counts(response, "format") == {"in_person": 1, "online": 3}
    # Other groups apply both selections.
    assert option_counts(response, "language") == {"english": 3, "spanish": 1, "vietnamese": 1}
    assert option_counts(response, "gender")["non_binary"] == 1
    assert option_counts(response, "community") == {"latinx": 1, "lgbtq": 1}
    assert option_counts(response, "identity") == {"latinx": 1, "lgbtq": 0}
    summary = response.context["summary"]
    assert summary["total"] == 3
    assert summary["accepting"] == 2  # Juniper and Casey; Sky is stale
    assert summary["sliding_scale"] == 2
    page = response.content.decode()
    assert 'value="trauma">' in page and 'Trauma <span class="count">(1)</span>' in page


def test_facet_count_matches_the_results_of_ticking_it(client, directory):
    response = client.get(f"{FINDER}?location=oregon&approach=cbt")
    predicted = option_counts(response, "language")["english"]
    ticked = client.get(f"{FINDER}?location=oregon&approach=cbt&language=english")
    assert ticked.context["total"] == predicted == 2


@pytest.mark.parametrize("per_page", [1, 50])
def test_finder_query_count_is_constant_whatever_the_filters_and_page_size(
    client, directory, settings, django_assert_num_queries, per_page
):
    settings.THERAPIST_FINDER_PER_PAGE = per_page
    searches = [
        "",
        "specialty=anxiety",
        "specialty=anxiety&approach=cbt&language=english&format=online&accepting=on",
        "q=anxiety&location=oregon&max_fee=150&sliding_scale=on&gender=woman&gender=non_binary",
        "lat=45&lng=-122&radius=50&identity=latinx&community=latinx&faith=christian&age=adults"
        "&insurance=example-health",
    ]
    # The page cache looks up the next scheduled publication once per content
    # generation, and the finder reads the vocabularies once per generation;
    # make that happen before counting the finder's own queries (with a search
    # of its own, so none of the counts below is cached yet).
    client.get(f"{FINDER}?location=warm-up")
    for query in searches:
        # Counts, the page, and the languages and specialties of its cards.
        with django_assert_num_queries(2 + COUNT_QUERIES):
            response = client.get(f"{FINDER}?{query}")
        assert response.context["total"] > 0


def test_repeated_search_reuses_its_counts_until_any_listing_changes(
    client, directory, django_assert_num_queries
):
    first = client.get(f"{FINDER}?specialty=anxiety&format=online")
    # The same filters in another order, sort and page (another URL, so not the
    # page cache): the result count, the facet counts and the vocabularies come
    # from the cache; the page and its cards' terms are read.
    with django_assert_num_queries(2):
        again = client.get(f"{FINDER}?format=online&specialty=anxiety&sort=confirmed&page=1")
    assert again.context["summary"] == first.context["summary"]
    assert option_counts(again, "language") == option_counts(first, "language")
    assert again.context["total"] == 3

    # Any content write makes every cached count unreachable.
    listing = Therapist.objects.filter(specialties__slug="anxiety", online=True).first()
    english = directory["terms"]["english"]
    speaks_english = listing.languages.filter(pk=english.pk).exists()
    listing.is_published = False
    listing.save()
    after = client.get(f"{FINDER}?specialty=anxiety&format=online&page=1")
    assert after.context["total"] == 2
    assert option_counts(after, "specialty")["anxiety"] == 2
    assert option_counts(after, "language")["english"] == 3 - speaks_english


def test_empty_result_query_count_is_constant(client, directory, django_assert_num_queries):
    client.get(f"{FINDER}?location=warm-up")
    # Counts and the ways out (the vocabularies were read by the warm-up, for
    # this content generation): no page of results to read. Search
    # words add the listed cities their resemblances are looked for among, and
    # one aggregate counting whatever they resemble; typed words with no
    # location first ask which of them name a place.
    for query, extra in [
        ("specialty=depression&format=online", 0),
        ("q=zzzz&lat=45&lng=-122&radius=5", 1),
        ("q=Eugenee&lat=45&lng=-122&radius=5", 2),
        ("q=Eugenee+zzzz", 3),
    ]:
        with django_assert_num_queries(1 + COUNT_QUERIES + extra + name_queries(query)):
            response = client.get(f"{FINDER}?{query}")
        assert response.context["total"] == 0


ANXIETY, GRIEF = Term(1, "anxiety", "Anxiety"), Term(2, "grief", "Grief")
# Which PostgreSQL counter answers each pass of a search: (pass key, counter class).
COUNTERS = [
    (FinderParams(), [(None, PairCounter)]),
    (FinderParams(accepting=True), [(None, PairCounter)]),
    (FinderParams(q="anxiety"), [(None, WordCounter)]),
    (FinderParams(q="anxious thoughts"), [(None, ListingCounter)]),
    # One term: the all-filters pass is a pair read, the specialty's own pass has no filter.
    (
        FinderParams(terms={"specialty": [ANXIETY]}),
        [(None, PairCounter), ("specialty", PairCounter)],
    ),
    # Two terms of one group: a listing can have both, so the pair counts would count it
    # twice; codes only, so the bitmaps count it.
    (
        FinderParams(terms={"specialty": [ANXIETY, GRIEF]}),
        [("specialty", PairCounter), (None, BitmapCounter)],
    ),
    (
        FinderParams(q="anxiety", formats=["online"]),
        [("format", WordCounter), (None, ListingCounter)],
    ),
    (FinderParams(sliding_scale=True, max_fee=90), [(None, BitmapCounter)]),
    # Text or a place with other filters: the listings are read.
    (
        FinderParams(location="Portland", formats=["online"], sliding_scale=True),
        [(None, ListingCounter), ("format", ListingCounter)],
    ),
]


@pytest.mark.parametrize(("params", "expected"), COUNTERS)
def test_each_pass_is_counted_by_the_cheapest_counter_that_is_exact(params, expected):
    search = FinderSearch(params)
    passes = multi_select_passes(search)
    counters = choose_counters(search, passes)
    answered = []
    for counter in counters:
        several = isinstance(counter, ListingCounter | BitmapCounter)
        covered = counter.passes if several else [counter.pass_]
        answered += [(pass_.key, type(counter)) for pass_ in covered]
    assert answered == expected
    # One listing or bitmap counter at most: the passes it answers share one read.
    assert sum(isinstance(counter, ListingCounter | BitmapCounter) for counter in counters) <= 1
