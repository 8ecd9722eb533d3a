"""PostgreSQL-only parts of the finder: full-text search, trigram matching, their indexes.

Skipped on SQLite (where the finder uses its simpler matcher, covered by
tests/finder/); CI runs the suite on both databases.
"""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.therapist_factories import make_term, make_therapist
from therapists.finder.codes import VOCABULARY_GROUPS
from therapists.finder.maintenance import refresh_finder_terms, refresh_search_vectors
from therapists.finder.names import NAME_TABLE
from therapists.finder.query import FinderParams, FinderSearch
from therapists.models import Therapist

# Deselected (not skipped) on SQLite by tests/conftest.py; CI runs them on PostgreSQL.
pytestmark = pytest.mark.postgres

FINDER = reverse("therapists:finder")


def found(client, query: str) -> list[str]:
    """The names the text search finds (``as_text``: no words read as filters or places)."""
    response = client.get(f"{FINDER}?{query}&as_text=on")
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
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'therapists_finder_name'"
        )
        name_indexes = dict(cursor.fetchall())
    assert "USING gin (search_vector)" in indexes["therapist_search_vector_gin"]
    # Misspelled names are matched in the table of distinct names (migration 0020).
    assert "therapist_name_trgm_gin" not in indexes
    assert "gin_trgm_ops" in name_indexes["therapists_finder_name_trgm_gin"]
    assert "btree (name) WHERE is_published" in indexes["therapist_name_idx"]


def test_text_search_uses_the_gin_index(db):
    make_therapist(name="Indexed Example")
    text_filter = FinderSearch(FinderParams(q="grief")).filters["q"]
    queryset = Therapist.objects.filter(text_filter)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
        # A few rows: walking the primary key would be as cheap as the trigram index.
        cursor.execute("SET LOCAL enable_indexonlyscan = off")
        cursor.execute(
            f"EXPLAIN SELECT name FROM {NAME_TABLE} WHERE name %%> %s",  # noqa: S608
            ["grief"],
        )
        names_plan = "\n".join(line for (line,) in cursor.fetchall())
    assert "therapist_search_vector_gin" in plan
    # The names are matched once, before the search's statements, in the
    # table of distinct names (the listings are then found by name, through
    # therapist_name_idx at scale: docs/finder.md).
    assert "therapists_finder_name_trgm_gin" in names_plan


def test_a_text_search_matches_names_once_per_request(client, db):
    make_therapist(name="Amara Okonkwo-Example")
    make_therapist(name="Okonkwo Pair-Example")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{FINDER}?q=Okonkow&as_text=on&specialty=anxiety")
    assert response.status_code == 200
    # The counts (a word-table pass and a listing pass) and the page reuse the ids.
    trigram = [query["sql"] for query in captured.captured_queries if "%>" in query["sql"]]
    assert len(trigram) == 1
    assert response.context["total"] == 2


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


def finder_terms(therapist: Therapist) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT finder_terms FROM therapists_therapist WHERE id = %s", [therapist.pk]
        )
        return cursor.fetchone()[0]


def expected_finder_terms(therapist: Therapist) -> list[int]:
    """What ``finder_terms`` should hold, read from the relation tables."""
    return sorted(
        group.code(pk)
        for group in VOCABULARY_GROUPS
        for pk in getattr(therapist, group.relation).values_list("pk", flat=True)
    )


def facet_counts(client, query: str, key: str) -> dict[str, int]:
    cache.clear()  # the page cache would answer a URL already asked for, without a context
    response = client.get(f"{FINDER}?{query}")
    group = next(g for g in response.context["groups"] if g.key == key)
    return {option.value: option.count for option in group.options if option.count}


def test_finder_terms_follow_relation_edits_from_either_side_and_term_deletion(client, db):
    therapist = make_therapist(name="Terms Example")
    other = make_therapist(name="Other Example")
    anxiety = make_term("specialty", "Anxiety", slug="anxiety")
    spanish = make_term("language", "Spanish", slug="spanish")
    latinx = make_term("community", "Latinx", slug="latinx")

    therapist.specialties.add(anxiety)
    spanish.therapists.add(therapist, other)
    latinx.therapists_identifying.add(therapist)
    assert finder_terms(therapist) == expected_finder_terms(therapist) != []
    assert found(client, "specialty=anxiety") == ["Terms Example"]
    assert found(client, "identity=latinx") == ["Terms Example"]
    assert found(client, "community=latinx") == []
    assert facet_counts(client, "specialty=anxiety", "language") == {"spanish": 1}
    assert facet_counts(client, "", "language") == {"spanish": 2}

    spanish.therapists.clear()
    therapist.specialties.remove(anxiety)
    assert finder_terms(other) == []
    assert finder_terms(therapist) == [VOCABULARY_GROUPS[4].code(latinx.pk)]
    assert facet_counts(client, "", "language") == {}
    assert found(client, "specialty=anxiety") == []

    latinx.delete()
    assert finder_terms(therapist) == []


def test_seeded_listings_get_their_finder_terms(db):
    call_command("seed_therapists", "--count", "4", "--batch-size", "2", stdout=io.StringIO())
    for therapist in Therapist.objects.all():
        assert finder_terms(therapist) == expected_finder_terms(therapist) != []
    with connection.cursor() as cursor:
        cursor.execute("UPDATE therapists_therapist SET finder_terms = '{}'")
    assert refresh_finder_terms() == 4
    for therapist in Therapist.objects.all():
        assert finder_terms(therapist) == expected_finder_terms(therapist)
