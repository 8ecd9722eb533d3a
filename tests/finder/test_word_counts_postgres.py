"""PostgreSQL: the finder's word counts follow text edits, and one-word searches count from them."""

import pytest
from django.db.models import F
from django.http import QueryDict

from tests.finder.pair_counts import assert_pairs_exact, stored_word_pairs
from tests.finder.test_counts_postgres import listings, terms  # noqa: F401 (fixtures)
from therapists.finder.counts import AggregateCounts
from therapists.finder.maintenance import refresh_finder_word_pairs
from therapists.finder.query import FinderSearch, load_vocabularies
from therapists.finder.tables import FinderWordPair
from therapists.forms import FinderForm
from therapists.models import Therapist

pytestmark = pytest.mark.postgres


def test_rebuilding_the_word_counts_gives_what_the_triggers_kept(listings):  # noqa: F811
    kept = stored_word_pairs()
    assert kept
    FinderWordPair.objects.update(listings=F("listings") + 7)
    assert refresh_finder_word_pairs() == len(kept)
    assert stored_word_pairs() == kept


def test_word_counts_follow_text_edits_and_term_renames(listings, terms):  # noqa: F811
    one, two, _three, _hidden = listings
    one.bio = "Calm sessions for panic and burnout."
    one.save()
    assert_pairs_exact()
    two.name = "Renamed Example"
    two.practice_name = "Harbour Practice"
    two.save()
    assert_pairs_exact()
    terms["grief"].name = "Loss and mourning"
    terms["grief"].save()
    assert_pairs_exact()
    Therapist.objects.filter(pk=one.pk).update(search_vector=None)
    assert_pairs_exact()


def test_a_one_word_search_counts_from_the_word_table(listings, django_assert_num_queries):  # noqa: F811
    params = FinderForm(QueryDict("q=anxiety"), load_vocabularies()).params()
    search = FinderSearch(params)
    # The names like the word, matched once for the search, then the counts.
    with django_assert_num_queries(2) as captured:
        summary = search.summary_counts()
    assert FinderWordPair._meta.db_table in captured.captured_queries[1]["sql"]
    assert "%>" not in captured.captured_queries[1]["sql"]
    assert summary["total"] == 2 == AggregateCounts(search).summary_from_aggregate()["total"]
