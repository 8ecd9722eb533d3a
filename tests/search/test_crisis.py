"""Queries that signal risk show the crisis-support box first; results still follow."""

import pytest

from articles.search.crisis import signals_crisis
from articles.search.models import CrisisTerm
from tests.factories import make_article
from tests.search.helpers import search_page

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    [
        "suicide",
        "Suicidal thoughts",
        "I want to die",
        "want to die",
        "kill myself",
        "killmyself",
        "kill my self",
        "self harm",
        "self-harm",
        "selfharm",
        "self harming",
        "overdose",
        "overdosed on pills",
        "sucide",
        "better off dead",
        "don't want to live",
        "dont want to live",
    ],
)
def test_risk_queries_are_recognised(query):
    assert signals_crisis(query)


@pytest.mark.parametrize(
    "query", ["sleep", "grief after a death", "dying plants", "harmony", "the odds", "self care"]
)
def test_ordinary_queries_are_not(query):
    assert not signals_crisis(query)


def test_the_box_comes_first_and_results_still_follow(client, settings):
    settings.CRISIS_SUPPORT_TEXT = "Call the example line on 000 now."
    settings.CRISIS_SUPPORT_URL = "https://example.com/crisis"
    settings.CRISIS_SUPPORT_LINK_TEXT = "Example Crisis Line"
    make_article(title="Supporting someone with suicidal thoughts", body="Suicide prevention.")
    html = search_page(client, "suicide").content.decode()
    main = html.split('<main id="main"', 1)[1]
    box = main.index('class="crisis-support"')
    assert box < main.index('id="search-q"') < main.index("Supporting someone with suicidal")
    assert "Call the example line on 000 now." in main
    assert (
        '<a class="button" href="https://example.com/crisis" rel="noopener">Example Crisis Line</a>'
        in main
    )
    assert "You don’t have to face this alone" in main
    # Safe-messaging: no "commit suicide", no talk of methods.
    assert "commit" not in main[box : box + 800].lower()


def test_the_box_shows_even_when_nothing_matches(client):
    html = search_page(client, "want to die").content.decode()
    assert 'class="crisis-support"' in html and "No articles found" in html


def test_no_box_for_ordinary_searches(client):
    make_article(title="Sleep", body="sleep")
    assert 'class="crisis-support"' not in search_page(client, "sleep").content.decode()


def test_editors_add_terms_and_cannot_switch_off_the_core_list(client):
    assert not signals_crisis("hopeless tonight")
    CrisisTerm.objects.create(phrase="hopeless")
    assert signals_crisis("hopeless tonight")
    CrisisTerm.objects.all().delete()
    assert signals_crisis("kill myself")
    assert signals_crisis("self-harm")


def test_a_misspelt_risk_word_is_caught_through_the_correction(client):
    CrisisTerm.objects.filter(phrase__in=["sucide", "suicde", "suiside"]).delete()
    make_article(title="Suicide prevention", body="Suicide prevention starts with talking.")
    response = search_page(client, "suicdie")
    assert response.context["outcome"].crisis
