"""What the finder page says: cards, stamps, the empty state's ways out, remove links."""

from urllib.parse import parse_qs, urlsplit

from tests.finder.conftest import FINDER, first_names


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


def test_finder_works_without_javascript_and_sets_no_csrf_cookie(client, directory):
    response = client.get(FINDER)
    page = response.content.decode()
    assert '<form class="finder__form" method="get"' in page
    assert "<script>" not in page and 'style="' not in page
    assert "csrftoken" not in response.cookies
    assert '<details class="finder__filters"' in page
    assert page.count("<legend>") >= 10
