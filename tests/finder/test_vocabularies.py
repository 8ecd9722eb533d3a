"""The finder reads its vocabularies once per content generation, and never past a write."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.finder.conftest import FINDER
from therapists.models import Faith

# Only the vocabularies' own query reads this table (the cards join languages
# and specialties).
VOCABULARY_TABLE = Faith._meta.db_table


def vocabulary_reads(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        html = client.get(url).content.decode()
    reads = [q for q in captured.captured_queries if f'"{VOCABULARY_TABLE}"' in q["sql"]]
    return len(reads), html


def test_vocabularies_are_read_once_until_anything_is_written(client, directory):
    assert vocabulary_reads(client, f"{FINDER}?specialty=anxiety")[0] == 1
    # Other searches, pages and words: no read of any vocabulary.
    for query in ["", "specialty=trauma&page=1", "q=anxiety", "format=online"]:
        assert vocabulary_reads(client, f"{FINDER}?{query}")[0] == 0


def test_a_renamed_term_shows_on_the_next_request(client, directory):
    client.get(FINDER)
    term = directory["terms"]["anxiety"]
    term.name = "Anxiety and worry"
    term.save()
    reads, html = vocabulary_reads(client, f"{FINDER}?format=online")
    assert reads == 1
    assert 'for="finder-specialty-anxiety">Anxiety and worry <span' in html


def test_a_term_added_by_raw_sql_shows_on_the_next_request(client, directory):
    client.get(FINDER)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {VOCABULARY_TABLE} (name, slug, description) VALUES (%s, %s, %s)",  # noqa: S608
            ["Quaker", "quaker", ""],
        )
    assert 'id="finder-faith-quaker"' in vocabulary_reads(client, FINDER)[1]


def test_a_cache_outage_reads_the_vocabularies_every_time(client, directory, monkeypatch):
    def broken():
        raise ConnectionError("cache down")

    monkeypatch.setattr("therapists.finder.vocabularies.current_generation", broken)
    for query in ["specialty=anxiety", "specialty=anxiety&format=online"]:
        reads, html = vocabulary_reads(client, f"{FINDER}?{query}")
        assert reads == 1 and 'id="finder-specialty-anxiety"' in html
