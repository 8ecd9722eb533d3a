"""PostgreSQL: the finder's statements kept per search shape (therapists/finder/statements.py)
are exactly what the ORM compiles for each later search of the shape, and a search of
another shape is never served them."""

import pytest

from tests.finder import shaped_directory
from tests.finder.shaped_directory import CHICAGO, NEW_YORK, near, search
from therapists.finder import place_counts, statements
from therapists.finder.cards import CARD_COLUMNS, CardPages, page_statement
from therapists.finder.counts import AggregateCounts, choose_counters, multi_select_passes
from therapists.finder.listing_counts import ListingCounter
from therapists.finder.place_counts import PlaceCounter
from therapists.finder.query import FinderSearch, ResultPages

pytestmark = pytest.mark.postgres

# The directory's fixtures, used by name.
listings, nothing_kept = shaped_directory.listings, shaped_directory.nothing_kept

# Pairs of searches of one shape: the second is served the first one's kept statements.
SAME_SHAPE = [
    ("", "page=2"),
    ("specialty=specialty-0", "specialty=specialty-1"),
    ("specialty=specialty-0&specialty=specialty-2", "specialty=specialty-1&specialty=specialty-0"),
    (
        "specialty=specialty-1&format=in_person&accepting=on&language=language-0",
        "specialty=specialty-2&format=in_person&accepting=on&language=language-1",
    ),
    (
        "approach=approach-2&age=age-0&sliding_scale=on&max_fee=120",
        "approach=approach-0&age=age-1&sliding_scale=on&max_fee=90",
    ),
    (
        "community=community-1&faith=faith-1&gender=woman&format=online",
        "community=community-0&faith=faith-2&gender=man&format=online",
    ),
    ("q=okafor", "q=lund"),
    ("q=morwel", "q=kesly"),
    (near(CHICAGO), near(NEW_YORK)),
    (
        near(CHICAGO, 10) + "&specialty=specialty-0&accepting=on",
        near(NEW_YORK, 10) + "&specialty=specialty-1&accepting=on",
    ),
    (
        near(CHICAGO) + "&sort=confirmed&gender=woman",
        near(NEW_YORK) + "&sort=confirmed&gender=agender",
    ),
]


def columns(s: FinderSearch) -> tuple:
    return (*CARD_COLUMNS, "distance_km") if s.params.near else CARD_COLUMNS


def orm(sql_params: tuple) -> tuple[str, list]:
    return sql_params[0], list(sql_params[1])


def built_by_the_orm(statement, s: FinderSearch, build) -> tuple[str, list]:
    """``statements.compiled``, asserting it did not build (so it was served kept SQL)."""

    def must_not_build(_search):
        raise AssertionError(f"{statement} was compiled again for a search of a kept shape")

    return statements.compiled(statement, s, must_not_build)


def test_the_near_me_search_keeps_its_page_and_edge_statements(listings):
    """Near me 25 km (the search this was built for) must not silently fall back."""
    s = search(near(CHICAGO))
    CardPages(s)[0:20]
    s.summary_counts()
    kept = {statement[0] for statement, _shape in statements._kept}
    assert kept == {"cards", "circle_edge"}


# Searches of different shapes, each differing from the first in one way only.
OTHER_SHAPES = [
    "specialty=specialty-0",
    "specialty=specialty-0&specialty=specialty-1",
    "specialty=specialty-0&approach=approach-0",
    "specialty=specialty-0&gender=woman",
    "specialty=specialty-0&gender=woman&gender=man",
    "specialty=specialty-0&format=online",
    "specialty=specialty-0&format=online&format=in_person",
    "specialty=specialty-0&max_fee=90",
    "specialty=specialty-0&accepting=on",
    "specialty=specialty-0&sliding_scale=on",
    "specialty=specialty-0&q=okafor",
    "specialty=specialty-0&q=okafor&sort=confirmed",
    "specialty=specialty-0&" + near(CHICAGO),
    "specialty=specialty-0&" + near(CHICAGO) + "&sort=confirmed",
    "specialty=specialty-0&" + near(CHICAGO) + "&include_online=on",
]


def test_a_search_of_another_shape_is_not_served_a_kept_statement(listings):
    shapes = [statements.search_shape(search(query)) for query in OTHER_SHAPES]
    assert len(set(shapes)) == len(OTHER_SHAPES)
    for _round in range(2):  # the second round from the kept statements
        for query in OTHER_SHAPES:
            s = search(query)
            for index in (slice(0, 20), slice(20, 40)):
                key = ("cards", index.start, index.stop, columns(s))

                def build(s, index=index):
                    return page_statement(s, index, columns(s))

                assert statements.compiled(key, s, build) == orm(build(search(query)))
    assert len(statements._kept) == 2 * len(OTHER_SHAPES)


@pytest.mark.parametrize(
    "query",
    [
        "location=Chicago",
        "location=60601",
        "lat=80&lng=10&radius=100",
        "lat=10&lng=179.9&radius=50",
    ],
)
def test_place_names_and_wide_circles_are_compiled_every_time(listings, query):
    s = search(query)
    assert statements.search_shape(s) is None
    builds = []

    def build(s):
        builds.append(s)
        return page_statement(s, slice(0, 20), columns(s))

    for _ in range(2):
        assert statements.compiled(("cards", 0, 20), s, build) == orm(build(search(query)))
    assert len(builds) == 4 and not statements._kept


def test_a_value_the_module_does_not_name_keeps_nothing(listings, monkeypatch):
    """A parameter the copy changed but no named value explains: the shape is compiled
    every time rather than bound wrongly."""
    named = statements.values
    monkeypatch.setattr(
        statements, "values", lambda s: {k: v for k, v in named(s).items() if k != "max_fee"}
    )
    s = search("approach=approach-2&sliding_scale=on&max_fee=120")
    build = lambda s: page_statement(s, slice(0, 20), columns(s))  # noqa: E731
    statements.compiled(("cards", 0, 20), s, build)
    assert not statements._kept


@pytest.mark.parametrize(("first", "second"), SAME_SHAPE)
def test_kept_statements_are_what_the_orm_compiles_for_the_next_search_of_the_shape(
    listings, first, second
):
    """The page's rows (two pages) and the counts' statements; then the page and the
    counts they give equal the ORM's page and a recount."""
    assert_kept_pages_are_the_orms(first, second)
    statements.clear()
    assert_kept_counts_are_the_orms(first, second)
    statements.clear()
    assert_pages_and_counts_equal_the_orms(first, second)


def assert_kept_pages_are_the_orms(first: str, second: str) -> None:
    for index in (slice(0, 20), slice(20, 40)):
        learnt, served = search(first), search(second)
        assert statements.search_shape(learnt) == statements.search_shape(served)
        key = ("cards", index.start, index.stop, columns(learnt))

        def build(s, index=index):
            return page_statement(s, index, columns(s))

        assert statements.compiled(key, learnt, build) == orm(build(learnt))
        assert built_by_the_orm(key, served, build) == orm(build(search(second)))


def counted(query: str) -> dict:
    s = search(query)
    return {
        (type(counter), getattr(counter, "pass_", None) and counter.pass_.key): counter
        for counter in choose_counters(s, multi_select_passes(s))
        if isinstance(counter, ListingCounter | PlaceCounter)
    }


def assert_kept_counts_are_the_orms(first: str, second: str) -> None:
    learnt_counters, served_counters = counted(first), counted(second)
    for kind in learnt_counters.keys() & served_counters.keys():
        learnt, served = learnt_counters[kind], served_counters[kind]
        if isinstance(learnt, ListingCounter):
            learnt._candidates()
            assert served._candidates() == orm(served._candidates_sql())
        else:
            key = learnt.pass_.key
            edge = ("circle_edge", key)
            statements.compiled(
                edge, learnt.search, lambda s, key=key: place_counts._edge_listings(s, key)
            )
            assert built_by_the_orm(edge, served.search, None) == orm(
                place_counts._edge_listings(served.search, key)
            )


def assert_pages_and_counts_equal_the_orms(first: str, second: str) -> None:
    for query in (first, second):  # the second from the first one's statements
        s = search(query)
        plain = AggregateCounts(s)
        assert s.summary_counts() == plain.summary_from_aggregate()
        assert s.vocabulary_counts() == plain.vocabulary_from_relations()
        ordered = ResultPages(s.results())
        for index in (slice(0, 20), slice(20, 40)):
            expected = list(ordered.page(index).values_list(*columns(s)))
            cards = CardPages(s)[index]
            assert [card.pk for card in cards] == [row[0] for row in expected]
            if s.params.near:
                assert [card.distance_km for card in cards] == [row[-1] for row in expected]
    assert statements._kept
