"""The finder's results: each filter and their combination, order, and pagination."""

from tests.finder.conftest import FINDER, first_names, names
from tests.therapist_factories import days_ago, make_therapist

SINGLE_FILTERS = [
    ("", {"juniper", "rowan", "sky", "morgan", "casey"}),
    ("specialty=anxiety", {"juniper", "sky", "casey"}),
    ("specialty=anxiety&specialty=depression", {"juniper", "rowan", "sky", "casey"}),
    ("approach=cbt", {"juniper", "sky"}),
    ("language=spanish", {"juniper"}),
    ("community=lgbtq", {"sky"}),
    ("community=latinx", {"juniper"}),
    ("identity=latinx", {"juniper"}),
    ("identity=lgbtq", set()),  # works with is not identifies as
    ("faith=christian", {"juniper"}),
    ("age=teens", {"rowan"}),
    ("insurance=example-health", {"juniper"}),
    ("gender=non_binary", {"sky"}),
    ("gender=woman", {"juniper", "morgan"}),
    ("format=in_person", {"juniper", "rowan", "morgan"}),
    ("format=online", {"juniper", "sky", "casey"}),
    ("format=in_person&format=online", {"juniper", "rowan", "sky", "morgan", "casey"}),
    ("accepting=on", {"juniper", "casey"}),  # Sky's claim is stale
    ("sliding_scale=on", {"juniper", "sky"}),
    ("max_fee=100", {"juniper", "sky"}),  # Casey states no fee
    ("max_fee=200", {"juniper", "rowan", "sky", "morgan"}),
    ("location=Portland", {"juniper", "rowan"}),
    ("location=oregon", {"juniper", "rowan", "sky", "casey"}),
    ("location=973", {"sky"}),
    ("location=Seattle, Washington", {"morgan"}),
    ("location=Portland&include_online=on", {"juniper", "rowan", "sky", "casey"}),
    ("q=Testwell", {"juniper"}),
    ("q=trauma", {"sky", "morgan"}),  # a specialty's name
    ("lat=45&lng=-122&radius=25", {"juniper", "rowan"}),  # Morgan is in the box's corner
    ("lat=45&lng=-122&radius=50", {"juniper", "rowan", "morgan", "sky"}),
    ("lat=45&lng=-122&radius=5", {"juniper"}),
]


COMBINED_FILTERS = [
    ("specialty=anxiety&format=online&accepting=on", {"juniper", "casey"}),
    ("language=english&specialty=trauma&format=in_person&max_fee=150", {"morgan"}),
    ("approach=cbt&sliding_scale=on&location=oregon&language=vietnamese", {"sky"}),
    ("lat=45&lng=-122&radius=50&specialty=trauma&gender=non_binary", {"sky"}),
    ("q=Placeholder&specialty=anxiety&max_fee=60&format=online", {"sky"}),
    ("specialty=depression&format=online", set()),
]


# One directory for all cases (subtests), so the data is built once.
def test_each_filter_alone_returns_exactly_the_matching_listings(client, directory, subtests):
    for query, expected in SINGLE_FILTERS:
        with subtests.test(query=query):
            response = client.get(f"{FINDER}?{query}")
            assert response.status_code == 200
            assert first_names(response) == expected
            assert response.context["total"] == len(expected)


def test_combined_filters_intersect(client, directory, subtests):
    for query, expected in COMBINED_FILTERS:
        with subtests.test(query=query):
            assert first_names(client.get(f"{FINDER}?{query}")) == expected


def test_unpublished_listings_never_appear_or_count(client, directory):
    response = client.get(FINDER)
    assert "Hidden Unpublished" not in response.content.decode()
    anxiety = directory["terms"]["anxiety"]
    specialty_group = next(g for g in response.context["groups"] if g.key == "specialty")
    assert next(o for o in specialty_group.options if o.value == anxiety.slug).count == 3


def test_default_order_is_most_recently_confirmed_with_stale_last(client, directory):
    response = client.get(FINDER)
    assert names(response) == [
        "Juniper Testwell",
        "Rowan Fakename",
        "Morgan Sampleton",
        "Casey Nocoords",
        "Sky Placeholder",
    ]
    assert "most recent first" in response.context["order_explanation"]


def test_nearest_order_with_a_location_and_stale_listings_after_confirmed(client, directory):
    rowan = directory["listings"]["rowan"]
    rowan.availability_confirmed_on = days_ago(61)
    rowan.save()
    response = client.get(f"{FINDER}?lat=45&lng=-122&radius=50")
    assert names(response) == [
        "Juniper Testwell",
        "Morgan Sampleton",
        "Rowan Fakename",  # 10 km, but stale
        "Sky Placeholder",  # 40 km and stale
    ]
    assert "nearest first" in response.context["order_explanation"]
    page = response.content.decode()
    assert "10.0 km away" in page and "31." in page


def test_nearest_order_puts_included_online_listings_without_a_location_after_located_ones(
    client, directory
):
    response = client.get(f"{FINDER}?lat=45&lng=-122&radius=25&include_online=on")
    assert names(response) == [
        "Juniper Testwell",
        "Rowan Fakename",
        "Casey Nocoords",  # online, no coordinates
        "Sky Placeholder",  # online, 40 km away, stale
    ]


def test_relevance_order_puts_name_matches_before_practice_before_bio(client, db):
    make_therapist(name="Cameron Example", bio="Some clients come to me with grief.")
    make_therapist(name="Blake Example", practice_name="Grief Counselling Studio")
    make_therapist(name="Avery Grief")
    make_therapist(name="Dana Unrelated")
    response = client.get(f"{FINDER}?q=grief")
    assert names(response) == ["Avery Grief", "Blake Example", "Cameron Example"]
    assert "closely each listing matches" in response.context["order_explanation"]


def test_recently_confirmed_sort_can_be_chosen_with_search_words(client, directory):
    response = client.get(f"{FINDER}?q=anxiety&sort=confirmed")
    assert names(response) == ["Juniper Testwell", "Casey Nocoords", "Sky Placeholder"]


def test_pagination_keeps_the_search_in_page_links(client, directory, settings):
    settings.THERAPIST_FINDER_PER_PAGE = 2
    response = client.get(f"{FINDER}?format=online")
    assert response.context["paginator"].num_pages == 2
    assert "?format=online&amp;page=2" in response.content.decode()
    second = client.get(f"{FINDER}?format=online&page=2")
    assert names(second) == ["Sky Placeholder"]
