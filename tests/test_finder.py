"""The public finder: filters, facet counts, order, distance, staleness, empty state, budget."""

import math
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.urls import reverse

from tests.factories import make_article, make_category
from tests.therapist_factories import days_ago, make_term, make_therapist
from therapists.models import Therapist
from therapists.search import distance_km

FINDER = reverse("therapists:finder")
ORIGIN = (45.0, -122.0)
KM_PER_DEGREE = math.pi * 6371.0 / 180  # along a meridian, as the haversine measures it
# The result and facet counts: one statement on PostgreSQL, two on SQLite (therapists.search).
COUNT_QUERIES = 1 if connection.vendor == "postgresql" else 2


def north_of_origin(km: float) -> dict:
    return {"latitude": ORIGIN[0] + km / KM_PER_DEGREE, "longitude": ORIGIN[1]}


@pytest.fixture
def directory(db):
    """Six published listings and one unpublished, with known distances from ORIGIN."""
    t = {
        key: make_term(kind, name, slug=slug)
        for key, kind, name, slug in [
            ("anxiety", "specialty", "Anxiety", "anxiety"),
            ("depression", "specialty", "Depression", "depression"),
            ("trauma", "specialty", "Trauma", "trauma"),
            ("cbt", "approach", "Cognitive behavioural therapy", "cbt"),
            ("psychodynamic", "approach", "Psychodynamic", "psychodynamic"),
            ("emdr", "approach", "EMDR", "emdr"),
            ("english", "language", "English", "english"),
            ("spanish", "language", "Spanish", "spanish"),
            ("vietnamese", "language", "Vietnamese", "vietnamese"),
            ("latinx", "community", "Latinx", "latinx"),
            ("lgbtq", "community", "LGBTQ+", "lgbtq"),
            ("christian", "faith", "Christian", "christian"),
            ("adults", "age_group", "Adults", "adults"),
            ("teens", "age_group", "Teens", "teens"),
            ("plan", "insurance_plan", "Example Health Plan", "example-health"),
        ]
    }
    listings = {
        "juniper": make_therapist(
            name="Juniper Testwell",
            city="Portland",
            region="Oregon",
            postal_code="97201",
            **north_of_origin(0),
            specialties=[t["anxiety"]],
            approaches=[t["cbt"]],
            languages=[t["english"], t["spanish"]],
            communities_served=[t["latinx"]],
            communities_identifies=[t["latinx"]],
            faiths=[t["christian"]],
            age_groups=[t["adults"]],
            insurance_plans=[t["plan"]],
            gender=Therapist.Gender.WOMAN,
            in_person=True,
            online=True,
            fee_min=80,
            fee_max=150,
            sliding_scale=True,
            availability=Therapist.Availability.ACCEPTING,
            availability_confirmed_on=days_ago(0),
        ),
        "rowan": make_therapist(
            name="Rowan Fakename",
            city="Portland",
            region="Oregon",
            postal_code="97209",
            **north_of_origin(10),
            specialties=[t["depression"]],
            approaches=[t["psychodynamic"]],
            languages=[t["english"]],
            age_groups=[t["teens"]],
            gender=Therapist.Gender.MAN,
            in_person=True,
            online=False,
            fee_min=200,
            fee_max=200,
            availability=Therapist.Availability.WAITLIST,
            availability_confirmed_on=days_ago(5),
        ),
        "sky": make_therapist(
            name="Sky Placeholder",
            city="Salem",
            region="Oregon",
            postal_code="97301",
            **north_of_origin(40),
            specialties=[t["anxiety"], t["trauma"]],
            approaches=[t["cbt"]],
            languages=[t["english"], t["vietnamese"]],
            communities_served=[t["lgbtq"]],
            gender=Therapist.Gender.NON_BINARY,
            in_person=False,
            online=True,
            fee_min=60,
            fee_max=90,
            sliding_scale=True,
            availability=Therapist.Availability.ACCEPTING,
            availability_confirmed_on=days_ago(90),  # stale: shown as unknown
        ),
        # Inside the 25 km search's bounding box, but 31 km away: a corner.
        "morgan": make_therapist(
            name="Morgan Sampleton",
            city="Seattle",
            region="Washington",
            postal_code="98101",
            latitude=45.2,
            longitude=-122.28,
            specialties=[t["trauma"]],
            approaches=[t["emdr"]],
            languages=[t["english"]],
            gender=Therapist.Gender.WOMAN,
            in_person=True,
            online=False,
            fee_min=120,
            fee_max=120,
            availability=Therapist.Availability.NOT_ACCEPTING,
            availability_confirmed_on=days_ago(10),
        ),
        "casey": make_therapist(
            name="Casey Nocoords",
            city="Eugene",
            region="Oregon",
            postal_code="97401",
            specialties=[t["anxiety"]],
            languages=[t["english"]],
            in_person=False,
            online=True,
            fee_min=None,
            fee_max=None,
            availability=Therapist.Availability.ACCEPTING,
            availability_confirmed_on=days_ago(20),
        ),
    }
    make_therapist(name="Hidden Unpublished", is_published=False, specialties=[t["anxiety"]])
    return {"terms": t, "listings": listings}


def names(response) -> list[str]:
    return [therapist.name for therapist in response.context["page_obj"].object_list]


def first_names(response) -> set[str]:
    return {name.split()[0].lower() for name in names(response)}


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


def option_counts(response, key: str) -> dict[str, int]:
    group = next(g for g in response.context["groups"] if g.key == key)
    return {option.value: option.count for option in group.options}


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


def test_database_distance_matches_the_haversine_formula(directory):
    morgan = Therapist.objects.annotate(d=distance_km(*ORIGIN)).get(name="Morgan Sampleton")
    lat1, lng1, lat2, lng2 = map(math.radians, (*ORIGIN, 45.2, -122.28))
    a = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    )
    assert morgan.d == pytest.approx(2 * 6371 * math.asin(math.sqrt(a)), rel=1e-9)
    assert 30 < morgan.d < 32


def test_radius_across_the_antimeridian_finds_listings_on_the_other_side(client, db):
    make_therapist(name="Eastern Example", latitude=0.0, longitude=179.9)
    make_therapist(name="Western Example", latitude=0.0, longitude=-179.9)
    response = client.get(f"{FINDER}?lat=0&lng=179.95&radius=25")
    assert set(names(response)) == {"Eastern Example", "Western Example"}


def test_stale_availability_shows_unknown_with_its_date_and_never_the_stale_claim(
    client, directory
):
    response = client.get(f"{FINDER}?q=Placeholder")
    page = response.content.decode()
    assert "Availability unknown" in page
    assert "too long ago to rely on" in page
    assert "Accepting new clients</strong>" not in page


def test_result_cards_show_stamps_formats_fees_and_languages(client, directory):
    response = client.get(f"{FINDER}?q=Testwell")
    page = response.content.decode()
    juniper = directory["listings"]["juniper"]
    confirmed = juniper.availability_confirmed_on
    assert "Accepting new clients</strong>" in page
    assert f'confirmed <time datetime="{confirmed:%Y-%m-%d}">' in page
    assert "Licence: Active</strong>" in page
    assert f'verified <time datetime="{juniper.licence_verified_on:%Y-%m-%d}">' in page
    assert "In person and online" in page
    assert "80–150 USD per session; sliding scale available" in page
    assert "English, Spanish" in page
    assert juniper.get_absolute_url() in page


def test_empty_state_keeps_every_filter_and_offers_ways_out(client, directory):
    response = client.get(f"{FINDER}?lat=45&lng=-122&radius=5&specialty=trauma&format=in_person")
    assert response.context["total"] == 0
    page = response.content.decode()
    assert "No therapists match all of these filters" in page
    # Every filter is still set in the form and listed with a remove link.
    assert 'name="specialty" value="trauma" checked' in page
    assert 'name="format" value="in_person" checked' in page
    assert 'value="45.00000"' in page
    texts = [link.text for link in response.context["active_filters"]]
    assert texts == ["Within 5 km of your location", "Format: In person", "Specialties: Trauma"]
    ways = {link.text: link for link in response.context["ways_out"]}
    # 10 km still finds nobody with trauma: the wider radius is only offered when it helps.
    assert "Widen the distance to 10 km" not in ways
    assert "Include therapists anywhere who see clients online" not in ways  # none in person
    removal = ways["Remove the specialties filter (Trauma)"]
    assert removal.count == 1  # Juniper, in person within 5 km
    assert parse_qs(urlsplit(removal.url).query) == {
        "lat": ["45.00000"],
        "lng": ["-122.00000"],
        "radius": ["5"],
        "format": ["in_person"],
    }
    assert ways["Remove the 5 km distance limit"].count == 1  # Morgan


def test_empty_state_suggests_a_wider_radius_and_online_therapists(client, directory):
    response = client.get(f"{FINDER}?lat=45&lng=-122&radius=25&specialty=trauma")
    ways = {link.text: link for link in response.context["ways_out"]}
    assert ways["Widen the distance to 50 km"].count == 2  # Morgan, Sky
    assert ways["Include therapists anywhere who see clients online"].count == 1  # Sky
    with_online = client.get(
        FINDER + ways["Include therapists anywhere who see clients online"].url
    )
    assert first_names(with_online) == {"sky"}


def test_active_filter_remove_links_drop_only_that_value(client, directory):
    response = client.get(f"{FINDER}?specialty=anxiety&specialty=trauma&accepting=on")
    link = next(x for x in response.context["active_filters"] if x.text == "Specialties: Anxiety")
    assert parse_qs(urlsplit(link.url).query) == {"specialty": ["trauma"], "accepting": ["on"]}


def test_pagination_keeps_the_search_in_page_links(client, directory, settings):
    settings.THERAPIST_FINDER_PER_PAGE = 2
    response = client.get(f"{FINDER}?format=online")
    assert response.context["paginator"].num_pages == 2
    assert "?format=online&amp;page=2" in response.content.decode()
    second = client.get(f"{FINDER}?format=online&page=2")
    assert names(second) == ["Sky Placeholder"]


def test_finder_works_without_javascript_and_sets_no_csrf_cookie(client, directory):
    response = client.get(FINDER)
    page = response.content.decode()
    assert '<form class="finder__form" method="get"' in page
    assert "<script>" not in page and 'style="' not in page
    assert "csrftoken" not in response.cookies
    assert '<details class="finder__filters"' in page
    assert page.count("<legend>") >= 10


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
    # generation; make that happen before counting the finder's own queries
    # (with a search of its own, so none of the counts below is cached yet).
    client.get(f"{FINDER}?location=warm-up")
    for query in searches:
        # Vocabularies, counts, the page, and the two prefetches of its cards.
        with django_assert_num_queries(4 + COUNT_QUERIES):
            response = client.get(f"{FINDER}?{query}")
        assert response.context["total"] > 0


def test_repeated_search_reuses_its_counts_until_any_listing_changes(
    client, directory, django_assert_num_queries
):
    first = client.get(f"{FINDER}?specialty=anxiety&format=online")
    # The same filters in another order, sort and page (another URL, so not the
    # page cache): the result count and the facet counts come from the cache.
    with django_assert_num_queries(4):
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
    for query in ["specialty=depression&format=online", "q=zzzz&lat=45&lng=-122&radius=5"]:
        # Vocabularies, counts and the ways out: no page of results to read.
        with django_assert_num_queries(2 + COUNT_QUERIES):
            response = client.get(f"{FINDER}?{query}")
        assert response.context["total"] == 0


def test_article_call_to_action_links_to_the_finder_filtered_by_mapped_specialties(
    client, directory
):
    worry = make_category(name="Worry", slug="worry")
    article = make_article(categories=[worry])
    directory["terms"]["anxiety"].article_categories.add(worry)
    directory["terms"]["trauma"].article_categories.add(worry)
    page = client.get(article.get_absolute_url()).content.decode()
    assert f"{FINDER}?specialty=anxiety&amp;specialty=trauma" in page
    filtered = client.get(f"{FINDER}?specialty=anxiety&specialty=trauma")
    assert first_names(filtered) == {"juniper", "sky", "morgan", "casey"}
