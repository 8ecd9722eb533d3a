"""Synonyms: the shipped default set, editors' own sets, and their validation."""

import pytest
from django.core.exceptions import ValidationError

from articles.search.models import SearchSynonym, SynonymKind
from tests.factories import make_article
from tests.search.helpers import found

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "article_says"),
    [
        ("klonopin", "clonazepam"),
        ("Klonopin side effects", "clonazepam side effects"),
        ("zoloft", "sertraline"),
        ("prozac", "fluoxetine"),
        ("lexapro", "escitalopram"),
        ("wellbutrin", "bupropion"),
        ("xanax", "alprazolam"),
        ("sertraline", "Zoloft"),
        ("panic attack", "panic disorder"),
        ("can't sleep", "insomnia"),
        ("cant sleep", "insomnia"),
        ("bipolar", "manic depression"),
        ("behavior", "behaviour"),
        ("counselling", "counseling"),
    ],
)
def test_default_synonyms_find_articles_that_only_use_the_other_term(client, typed, article_says):
    make_article(title="Medicine notes", body=f"Some people are prescribed {article_says}.")
    make_article(title="Unrelated", body="Gardening and walking.")
    assert found(client, typed) == ["Medicine notes"]


def test_an_editors_synonym_set_applies_at_once(client):
    make_article(title="Nature walks", body="Forest bathing lowers stress.")
    assert found(client, "shinrin") == []
    SearchSynonym.objects.create(terms="shinrin-yoku, forest bathing", kind=SynonymKind.OTHER)
    assert found(client, "shinrin yoku") == ["Nature walks"]


def test_excluding_a_brand_name_excludes_the_generic_too(client):
    make_article(title="Clonazepam notes", body="clonazepam and sleep")
    make_article(title="Sleep notes", body="sleep")
    assert found(client, "sleep -klonopin") == ["Sleep notes"]


def test_a_synonym_set_needs_two_different_terms_also_outside_the_admin():
    with pytest.raises(ValidationError):
        SearchSynonym.objects.create(terms="Klonopin, klonopin ,")
    synonym = SearchSynonym.objects.create(terms="  Foo  bar ,baz,  foo bar")
    assert synonym.terms == "Foo bar, baz"


def test_shipped_defaults_cover_brand_lay_and_spelling_sets():
    kinds = set(SearchSynonym.objects.values_list("kind", flat=True))
    assert {SynonymKind.MEDICATION, SynonymKind.LAY_CLINICAL, SynonymKind.SPELLING} <= kinds
    assert SearchSynonym.objects.filter(terms__icontains="Klonopin").exists()
