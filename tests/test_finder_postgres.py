"""PostgreSQL-only parts of the finder: full-text search, trigram matching, their indexes.

Skipped on SQLite (where the finder uses its simpler matcher, covered by
tests/test_finder.py); CI runs the suite on both databases.
"""

import pytest
from django.db import connection
from django.urls import reverse

from tests.therapist_factories import make_term, make_therapist
from therapists.models import Therapist
from therapists.search import FinderParams, FinderSearch, refresh_search_vectors

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]

FINDER = reverse("therapists:finder")


def found(client, query: str) -> list[str]:
    response = client.get(f"{FINDER}?{query}")
    assert response.status_code == 200
    return [therapist.name for therapist in response.context["page_obj"].object_list]


def test_migrations_create_the_search_indexes_and_pg_trgm(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() == ("pg_trgm",)
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'therapists_therapist'"
        )
        indexes = dict(cursor.fetchall())
    assert "USING gin (search_vector)" in indexes["therapist_search_vector_gin"]
    assert "gin_trgm_ops" in indexes["therapist_name_trgm_gin"]


def test_text_search_uses_the_gin_index(db):
    make_therapist(name="Indexed Example")
    text_filter = FinderSearch(FinderParams(q="grief")).filters["q"]
    queryset = Therapist.objects.filter(text_filter)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert "therapist_search_vector_gin" in plan
    assert "therapist_name_trgm_gin" in plan


def test_search_vector_follows_saves_relations_and_renames(client, db):
    therapist = make_therapist(name="Vector Example", bio="Calm, practical sessions.")
    assert found(client, "q=bereavement") == []
    term = make_term("specialty", "Bereavement")
    therapist.specialties.add(term)
    assert found(client, "q=bereavement") == ["Vector Example"]
    term.name = "Loss and mourning"
    term.save()
    assert found(client, "q=bereavement") == []
    assert found(client, "q=mourning") == ["Vector Example"]
    therapist.specialties.remove(term)
    assert found(client, "q=mourning") == []
    therapist.bio = "Sessions for burnout."
    therapist.save()
    assert found(client, "q=burnout") == ["Vector Example"]


def test_bulk_loaded_listings_are_searchable_after_refresh(client, db):
    therapist = make_therapist(name="Bulk Example")
    Therapist.objects.filter(pk=therapist.pk).update(search_vector=None, bio="Panic attacks.")
    assert found(client, "q=panic") == []
    assert refresh_search_vectors() >= 1
    assert found(client, "q=panic") == ["Bulk Example"]


def test_full_text_matches_word_forms(client, db):
    make_therapist(name="Stem Example", bio="I work with families and their children.")
    assert found(client, "q=family") == ["Stem Example"]
    assert found(client, "q=worked") == ["Stem Example"]


def test_a_misspelled_name_still_finds_the_listing(client, db):
    make_therapist(name="Amara Okonkwo-Example")
    make_therapist(name="Someone Different")
    assert found(client, "q=Okonkow") == ["Amara Okonkwo-Example"]
    assert found(client, "q=amara+okonkwo") == ["Amara Okonkwo-Example"]


def test_name_match_outranks_bio_match(client, db):
    make_therapist(name="Bio Mention", bio="Many clients ask about Sterling approaches.")
    make_therapist(name="Jo Sterling")
    assert found(client, "q=sterling") == ["Jo Sterling", "Bio Mention"]


def test_web_search_syntax_and_odd_input_never_fail(client, db):
    make_therapist(name="Syntax Example", bio="Grief and anxiety.")
    assert found(client, "q=%22grief%22+-anxiety") == []
    assert found(client, "q=grief+-depression") == ["Syntax Example"]
    for query in ["q=%26%7C%21%28%29%3A%2A", "q=or", "q=-", "q=%27%27%27", "q=%5C"]:
        assert client.get(f"{FINDER}?{query}").status_code == 200
