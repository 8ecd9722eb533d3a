"""Bad input to the finder: never a 500, the usable part still applies, the rest is named."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from tests.therapist_factories import make_term, make_therapist

FINDER = reverse("therapists:finder")


@pytest.fixture
def listings(db):
    anxiety = make_term("specialty", "Anxiety", slug="anxiety")
    return {
        "anxious": make_therapist(name="Ash Anxietyhelper", specialties=[anxiety], fee_min=90),
        "other": make_therapist(name="Bo Otherfocus", fee_min=150),
    }


def get(client, query: str):
    response = client.get(f"{FINDER}?{query}")
    assert response.status_code == 200
    return response, response.content.decode()


def found(response) -> set[str]:
    return {therapist.name for therapist in response.context["page_obj"].object_list}


def test_unknown_filter_value_is_ignored_and_named_while_known_values_still_apply(client, listings):
    response, page = get(client, "specialty=anxiety&specialty=no-such-thing")
    assert found(response) == {"Ash Anxietyhelper"}
    assert "Specialties: no option called “no-such-thing”" in page
    assert "We could not use part of this search" in page


def test_unknown_parameter_is_ignored_and_named(client, listings):
    response, page = get(client, "colour=blue")
    assert found(response) == {"Ash Anxietyhelper", "Bo Otherfocus"}
    assert "an unknown option “colour”" in page


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("max_fee=cheap", "Maximum fee per session “cheap”"),
        ("max_fee=-5", "Maximum fee per session “-5”"),
        ("max_fee=1e999", "Maximum fee per session “1e999”"),
        ("lat=north&lng=-122", "Latitude “north”"),
        ("lat=91&lng=0", "Latitude “91”"),
        ("lat=NaN&lng=0", "Latitude “NaN”"),
        ("lat=45", "only a latitude or only a longitude"),
        ("radius=7", "Within “7”"),
        ("format=teleport", "Session format: no option called “teleport”"),
        ("gender=robot", "Therapist&#x27;s gender: no option called “robot”"),
        ("sort=random", "Order “random”"),
        ("sort=nearest", "“nearest first”, which needs your location"),
    ],
)
def test_malformed_values_are_ignored_and_named(client, listings, query, named):
    response, page = get(client, query)
    assert named in page
    # The rest of the search still runs: nothing was filtered out by the bad value.
    assert response.context["total"] == 2


def test_malformed_number_does_not_drop_the_other_filters(client, listings):
    response, page = get(client, "max_fee=abc&specialty=anxiety")
    assert found(response) == {"Ash Anxietyhelper"}
    # The ignored value is not echoed back into the form.
    assert 'name="max_fee" min="0" max="100000" step="1" inputmode="numeric" value=""' in page


@pytest.mark.parametrize("page_value", ["abc", "0", "-3", "1.5", "９"])
def test_malformed_page_numbers_show_the_first_page_and_say_so(client, listings, page_value):
    response, page = get(client, f"page={quote(page_value)}")
    assert response.context["page_obj"].number == 1
    assert "page" in " ".join(response.context["ignored"])


def test_page_past_the_end_shows_the_last_page_and_says_so(client, listings, settings):
    settings.THERAPIST_FINDER_PER_PAGE = 1
    response, page = get(client, "page=999")
    assert response.context["page_obj"].number == 2
    assert "page 999, which does not exist; showing page 2" in page


def test_a_10_kb_query_string_is_shortened_not_refused(client, listings):
    response, page = get(client, "q=" + "anxiety%20" * 1024 + "&specialty=" + "x" * 5000)
    assert len(response.context["params"].q) <= 200
    assert "the part of “q” after 200 characters" in page
    assert "no option called" in page
    assert len(page) < 200_000  # the ignored value is shown shortened, not echoed in full


def test_too_many_values_for_one_filter_are_capped(client, listings):
    query = "&".join(f"specialty=s{n}" for n in range(200))
    response, page = get(client, query)
    assert "170 extra values of “specialty”" in page


@pytest.mark.parametrize(
    "raw",
    [
        "anx%00iety",  # NUL: PostgreSQL refuses it in any string
        "%01%02%1B%7F",
        "%E2%80%AEanxiety",  # right-to-left override
        "%ED%A0%80",  # a lone surrogate, invalid UTF-8
        "%FF%FE",
    ],
)
def test_control_characters_and_invalid_utf8_never_cause_a_500(client, listings, raw):
    for key in ("q", "location", "specialty", "max_fee", "lat", raw):
        response = client.get(f"{FINDER}?{key}={raw}&lng=1")
        assert response.status_code == 200


def test_control_characters_are_removed_and_the_rest_searched(client, listings):
    response, page = get(client, "q=Ash%00Anxiety%07helper")
    assert response.context["params"].q == "AshAnxietyhelper"
    assert "control characters in “q”" in page


def test_non_ascii_search_words_work(client, db):
    make_therapist(name="Zoë Ñandú-Example", city="São Paulo", region="SP")
    response, _page = get(client, f"q={quote('Ñandú')}")
    assert {t.name for t in response.context["page_obj"].object_list} == {"Zoë Ñandú-Example"}
    response, _page = get(client, f"location={quote('são paulo')}")
    assert response.context["total"] == 1
    response, _page = get(client, f"q={quote('心理')}&location={quote('東京')}")
    assert response.context["total"] == 0


def test_the_head_method_and_repeated_keys_are_harmless(client, listings):
    assert client.head(f"{FINDER}?q=a&q=b").status_code == 200
