"""Results first, on a phone too: the finder page's layout decisions, server side.

(The browser tests in tests/browser/test_finder_understanding.py check the same at
phone and desktop widths.)
"""

import re

from tests.finder.conftest import FINDER


def page(client, query: str = "") -> str:
    return client.get(f"{FINDER}?{query}").content.decode()


def test_no_search_opens_the_filters_panel_by_itself(client, directory):
    for query in [
        "q=Testwell",
        "location=Portland",
        "q=spanish",
        "specialty=anxiety&format=online",
    ]:
        html = page(client, query)
        assert re.search(r'<details class="finder__filters" id="finder-filters">', html), query


def test_the_panel_says_how_many_of_its_filters_are_active(client, directory):
    assert "<summary>Filters</summary>" in page(client, "q=Testwell&location=Portland")
    html = page(client, "specialty=anxiety&format=online&accepting=on")
    assert "<summary>Filters (3 active)</summary>" in html
    # Understood words are filters like any other.
    assert "<summary>Filters (1 active)</summary>" in page(client, "q=spanish")


def test_results_follow_the_compact_form_and_a_skip_link_leads_to_them(client, directory):
    html = page(client, "specialty=anxiety")
    assert '<a class="skip-link" href="#finder-results-heading">Skip to results</a>' in html
    assert 'id="finder-results-heading" tabindex="-1"' in html
    # The compact form's own submit button comes before the panel; the panel
    # ends with "Show N therapists", inside it.
    assert html.index('class="finder__submit"') < html.index('id="finder-filters"')
    panel = html[html.index('id="finder-filters"') : html.index("</details>\n\n    <p><a")]
    assert "Show 3 therapists</button>" in panel


def test_options_that_would_give_nothing_are_disabled_unless_ticked(client, directory):
    html = page(client, "specialty=depression")
    # Depression's one listing (Rowan) speaks no Vietnamese: (0), disabled.
    assert re.search(r'id="finder-language-vietnamese"[^>]*disabled', html)
    # A ticked option stays enabled, so it can be unticked.
    assert re.search(r'id="finder-specialty-depression"[^>]*checked>', html)
    assert not re.search(r'id="finder-language-english"[^>]*disabled', html)


def test_each_result_links_to_its_profile_with_the_way_back(client, directory):
    html = page(client, "specialty=anxiety&format=online")
    back = "from=format%3Donline%26specialty%3Danxiety"
    assert re.search(r'href="/therapists/[\w-]+/\?' + back + '"', html)
    bare = page(client)
    assert "?from=" not in bare  # nothing to carry back on the unfiltered first page
