"""PostgreSQL: the finder's place counts, and searches by place alone that read them."""

import pytest
from django.http import QueryDict

from tests.finder.pair_counts import expected_place_pairs, stored_place_pairs
from tests.finder.test_counts_postgres import listings, terms  # noqa: F401 (fixtures)
from therapists.finder.counts import AggregateCounts
from therapists.finder.maintenance import refresh_finder_place_pairs
from therapists.finder.place_counts import PLACE_PAIR_TABLE
from therapists.finder.query import FinderSearch, load_vocabularies
from therapists.forms import FinderForm

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize("query", ["location=Oregon", "lat=45.5&lng=-122.6&radius=100"])
def test_a_search_by_place_only_counts_from_the_place_table(
    listings,  # noqa: F811
    django_assert_num_queries,
    query,
):  # noqa: F811
    params = FinderForm(QueryDict(query), load_vocabularies()).params()
    search = FinderSearch(params)
    with django_assert_num_queries(1) as captured:
        summary = search.summary_counts()
    assert PLACE_PAIR_TABLE in captured.captured_queries[0]["sql"]
    assert summary == AggregateCounts(search).summary_from_aggregate()
    assert summary["total"] >= 2


def test_rebuilding_the_place_counts_gives_what_the_triggers_kept(listings):  # noqa: F811
    kept = stored_place_pairs()
    assert refresh_finder_place_pairs() == len(kept)
    assert stored_place_pairs() == kept == expected_place_pairs()
