"""Reading the finder's search box: therapists/finder/understanding.py and the page it gives."""

import pytest

from tests.finder.conftest import FINDER, first_names
from therapists.finder.query import FinderParams, Term
from therapists.finder.understanding import understand


def _terms(*names: str) -> list[Term]:
    return [Term(n, name.lower().replace(" ", "-"), name) for n, name in enumerate(names, 1)]


VOCABULARIES = {
    "specialty": _terms("Anxiety", "Depression", "Trauma and PTSD", "OCD", "Grief and loss"),
    "approach": _terms("Cognitive behavioural therapy (CBT)", "Family systems therapy"),
    "language": _terms("Spanish", "Hindi", "American Sign Language"),
    "community": _terms("LGBTQ+", "Latine", "Veterans and military families"),
    "faith": _terms("Hindu", "Muslim"),
    "age": _terms("Children (5–12)", "Teens (13–17)", "Adults (26–64)", "Older adults (65+)"),
    "insurance": _terms("Medicaid", "Example Health PPO"),
}
CITIES = {"portland": "Portland", "chicago": "Chicago", "new york": "New York"}


def read(q: str, **params):
    def lookup(candidates):
        return {c.casefold(): CITIES[c.casefold()] for c in candidates if c.casefold() in CITIES}

    return understand(FinderParams(q=q, **params), VOCABULARIES, lookup)


def labels(q: str) -> list[str]:
    return [item.label for item in read(q)[1].understood]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # one per vocabulary type
        ("anxiety", ["Specialty: Anxiety"]),
        ("cbt", ["Approach: Cognitive behavioural therapy (CBT)"]),
        ("spanish", ["Language: Spanish"]),
        ("lgbtq", ["Community: LGBTQ+"]),
        ("muslim", ["Faith: Muslim"]),
        ("teen", ["Age group: Teens (13–17)"]),
        ("medicaid", ["Insurance: Medicaid"]),
        # plurals, abbreviations and parts of a term's name
        ("teens", ["Age group: Teens (13–17)"]),
        ("Veterans", ["Community: Veterans and military families"]),
        ("ptsd", ["Specialty: Trauma and PTSD"]),
        ("ocd therapist", ["Specialty: OCD"]),
        ("LGBTQ+", ["Community: LGBTQ+"]),
        ("older adults", ["Age group: Older adults (65+)"]),
        # everyday words for a term
        ("kids", ["Age group: Children (5–12)"]),
        ("asl", ["Language: American Sign Language"]),
        ("gay", ["Community: LGBTQ+"]),
        ("bereavement", ["Specialty: Grief and loss"]),
        # misspellings
        ("depresion", ["Specialty: Depression"]),
        ("anxeity", ["Specialty: Anxiety"]),
        ("spannish", ["Language: Spanish"]),
        # one letter apart, both exact terms: no guessing
        ("hindi", ["Language: Hindi"]),
        ("hindu", ["Faith: Hindu"]),
        # formats
        ("trauma online", ["Specialty: Trauma and PTSD", "Format: Online (video or phone)"]),
        ("in-person anxiety", ["Format: In person", "Specialty: Anxiety"]),
    ],
)
def test_words_naming_a_term_become_that_filter(q, expected):
    assert labels(q) == expected
    params, understanding = read(q)
    assert params.q == understanding.text == ""


@pytest.mark.parametrize(
    ("q", "location"),
    [
        ("Portland", "Portland"),
        ("portland", "Portland"),  # spelled as the listings spell it
        ("Chicago, IL", "Chicago, Illinois"),
        ("therapist in portland oregon", "Portland, Oregon"),
        ("new york", "New York"),
        ("Oregon", "Oregon"),  # a region, whether or not a listing is there
        ("97205", "97205"),
        ("m5v 2t6", "M5V 2T6"),
    ],
)
def test_a_place_becomes_the_location(q, location):
    params, understanding = read(q)
    assert params.location == location
    assert understanding.understood[-1].label == f"Location: {location}"
    assert params.q == ""


def test_two_letter_regions_count_only_after_a_comma():
    # "in" and "or" are Indiana and Oregon, but here they are words.
    params, understanding = read("anxiety in portland or seattle")
    assert params.location == "Portland"
    assert params.q == "seattle"


def test_a_typed_location_is_kept_and_places_in_the_words_stay_words():
    params, understanding = read("spanish portland", location="Chicago")
    assert params.location == "Chicago"
    assert [item.label for item in understanding.understood] == ["Language: Spanish"]
    assert params.q == "portland"


def test_remaining_words_search_names_and_profiles():
    params, understanding = read("Avery spanish")
    assert [item.label for item in understanding.understood] == ["Language: Spanish"]
    assert params.q == understanding.text == "Avery"
    assert [term.slug for term in params.terms["language"]] == ["spanish"]


def test_words_that_name_nothing_are_searched_as_typed():
    params, understanding = read("Avery the Therapist")
    assert understanding.understood == []
    assert params.q == "Avery the Therapist"


def test_as_text_reads_nothing_out_of_the_words():
    params, understanding = read("spanish portland", as_text=True)
    assert understanding.understood == []
    assert params.q == "spanish portland"
    assert params.location == ""
    assert params.terms == {}


def test_understood_terms_join_the_ones_already_ticked_without_duplicates():
    spanish = VOCABULARIES["language"][0]
    params, _ = read("spanish hindi", terms={"language": [spanish]})
    assert [term.slug for term in params.terms["language"]] == ["spanish", "hindi"]


# The page ---------------------------------------------------------------------


def test_typed_words_find_what_the_filters_find(client, directory):
    for q, filters in [
        ("spanish", "language=spanish"),
        ("teens", "age=teens"),
        ("Portland", "location=Portland"),
        ("lgbtq therapist", "community=lgbtq"),
        ("depresion", "specialty=depression"),
        ("cognitive behavioral therapy", "approach=cbt"),  # American spelling
    ]:
        typed = client.get(FINDER, {"q": q})
        assert typed.context["total"] > 0, q
        assert first_names(typed) == first_names(client.get(f"{FINDER}?{filters}")), q


def test_the_page_shows_removable_chips_and_the_as_text_link(client, directory):
    response = client.get(FINDER, {"q": "spanish therapist Portland"})
    assert first_names(response) == {"juniper"}
    chips = {link.text: link.url for link in response.context["understood"]}
    assert chips == {
        "Language: Spanish": "?location=Portland",
        "Location: Portland": "?language=spanish",
    }
    assert response.context["as_text_url"] == "?q=spanish+therapist+Portland&as_text=on"
    page = response.content.decode()
    assert "We searched “spanish therapist Portland” as" in page
    assert 'href="?location=Portland" class="chip">Language: Spanish' in page
    # The form shows the search as it ran: the box empty, the filter ticked.
    assert 'name="q" value=""' in page
    assert 'value="spanish" checked' in page

    as_text = client.get(FINDER + response.context["as_text_url"])
    assert as_text.context["understood"] == []
    assert as_text.context["total"] == 0
    assert as_text.context["headline"] == "No therapists found for “spanish therapist Portland”"


def test_the_empty_state_offers_what_the_words_resemble_with_counts(client, directory):
    response = client.get(FINDER, {"q": "Eugenee Vietnamise", "as_text": "on"})
    assert response.context["total"] == 0
    offered = {link.text: (link.url, link.count) for link in response.context["resemblances"]}
    assert offered["Location: Eugene"] == ("?location=Eugene", 1)
    assert offered["Language: Vietnamese"] == ("?language=vietnamese", 1)
    assert "Your words look like these filters and places" in response.content.decode()


def test_the_headline_says_whether_words_or_filters_were_searched(client, directory):
    words = client.get(FINDER, {"q": "Zyxwv"}).context["headline"]
    both = client.get(FINDER, {"q": "Zyxwv", "format": "online"}).context["headline"]
    filters = client.get(f"{FINDER}?specialty=depression&format=online").context["headline"]
    found = client.get(FINDER, {"q": "Testwell"}).context["headline"]
    assert words == "No therapists found for “Zyxwv”"
    assert both == "No therapists match “Zyxwv” with these filters"
    assert filters == "No therapists match all of these filters"
    assert found == "1 therapist found for “Testwell”"


def test_the_listed_cities_are_every_distinct_city_of_a_listed_listing(directory):
    """On PostgreSQL they come from one index probe per city; the set is the DISTINCT one."""
    from therapists.finder.explained import _listed_cities
    from therapists.models import Therapist

    hidden = Therapist.objects.filter(is_published=False).first()
    Therapist.objects.filter(pk=hidden.pk).update(city="Hiddenville")
    Therapist.objects.filter(pk=Therapist.objects.listed().first().pk).update(city="")
    expected = set(
        Therapist.objects.listed().exclude(city="").values_list("city", flat=True).distinct()
    )
    cities = _listed_cities()
    assert len(cities) == len(expected) >= 2
    assert set(cities) == expected
    assert "Hiddenville" not in cities
