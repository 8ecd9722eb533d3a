"""PostgreSQL: precomputed word/code co-occurrence counts for one-word text searches.

A one-word search ("anxiety") is the commonest text search and can match a
quarter of the listings; counting its facets by unnesting the codes of every
matching listing costs about 85 ms at 100,000 listings. This migration keeps,
in ``therapists_finder_word_pair``, how many listed listings have both the word
``word`` (a lexeme of their ``search_vector``) and the code ``code`` (see
migration 0009 for the codes), exact on every write, so those counts are a few
hundred rows read by primary key (under a millisecond).

The same statement-level AFTER triggers as migration 0009, with transition
tables: one grouped upsert per statement, rows sorted so concurrent writers
take the row locks in the same order; updates that change neither a listing's
words, nor its codes, nor its published flag add nothing. TRUNCATE empties the
counts. ``manage.py rebuild_finder`` rebuilds them.

The table grows with the vocabulary of the listings' text: about 89,000 rows
(7 MB) for 100,000 synthetic listings, built in about 6 seconds. SQLite has no
full-text search; there this migration does nothing.
"""

from django.db import migrations

from therapists.pg_operations import run_on_postgresql


def codes_of(alias: str) -> str:
    return (
        f"therapists_finder_codes({alias}.finder_terms, {alias}.in_person, {alias}.online, "
        f"{alias}.gender, {alias}.sliding_scale, {alias}.availability, "
        f"{alias}.availability_confirmed_on)"
    )


def words_of(alias: str) -> str:
    return f"tsvector_to_array({alias}.search_vector)"


def add_pairs(changes: str) -> str:
    """Add ``sign`` to the count of every (word, code) of each row of ``changes(words, codes, sign)``."""
    return f"""
    INSERT INTO therapists_finder_word_pair AS pair (word, code, listings)
    SELECT word, code, SUM(sign) FROM ({changes}) AS change,
        unnest(change.words) AS word, unnest(change.codes) AS code
    GROUP BY word, code HAVING SUM(sign) <> 0 ORDER BY word, code
    ON CONFLICT (word, code) DO UPDATE SET listings = pair.listings + excluded.listings;
    """  # noqa: S608


INSERTED = (
    f"SELECT {words_of('n')} AS words, {codes_of('n')} AS codes, 1 AS sign "  # noqa: S608
    "FROM new_rows n WHERE n.is_published"
)
DELETED = (
    f"SELECT {words_of('o')} AS words, {codes_of('o')} AS codes, -1 AS sign "  # noqa: S608
    "FROM old_rows o WHERE o.is_published"
)
UPDATED = f"""
    SELECT change.words, change.codes, change.sign FROM (
        SELECT o.is_published AS was_listed, {words_of("o")} AS old_words,
            {codes_of("o")} AS old_codes, n.is_published AS is_listed,
            {words_of("n")} AS new_words, {codes_of("n")} AS new_codes
        FROM old_rows o JOIN new_rows n ON n.id = o.id
    ) AS row_change,
    LATERAL (
        SELECT row_change.old_words, row_change.old_codes, -1 WHERE row_change.was_listed
        UNION ALL
        SELECT row_change.new_words, row_change.new_codes, 1 WHERE row_change.is_listed
    ) AS change (words, codes, sign)
    WHERE row_change.was_listed IS DISTINCT FROM row_change.is_listed
        OR row_change.old_codes IS DISTINCT FROM row_change.new_codes
        OR row_change.old_words IS DISTINCT FROM row_change.new_words
"""  # noqa: S608
TRIGGER_FUNCTION = f"""
CREATE OR REPLACE FUNCTION therapists_finder_word_pairs_on_write() RETURNS trigger
LANGUAGE plpgsql SET work_mem = '32MB' AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {add_pairs(INSERTED)}
    ELSIF TG_OP = 'DELETE' THEN
        {add_pairs(DELETED)}
    ELSIF TG_OP = 'UPDATE' THEN
        {add_pairs(UPDATED)}
    ELSE
        DELETE FROM therapists_finder_word_pair;
    END IF;
    RETURN NULL;
END
$$
"""  # noqa: S608
REBUILD = [
    "DELETE FROM therapists_finder_word_pair",
    add_pairs(
        f"SELECT {words_of('t')} AS words, {codes_of('t')} AS codes, 1 AS sign "  # noqa: S608
        "FROM therapists_therapist t WHERE t.is_published"
    ),
]

CREATE = [
    "CREATE TABLE IF NOT EXISTS therapists_finder_word_pair ("
    "word text NOT NULL, code bigint NOT NULL, listings integer NOT NULL, "
    "PRIMARY KEY (word, code))",
    TRIGGER_FUNCTION,
    "CREATE TRIGGER therapists_finder_word_pairs_insert AFTER INSERT ON therapists_therapist "
    "REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION therapists_finder_word_pairs_on_write()",
    "CREATE TRIGGER therapists_finder_word_pairs_update AFTER UPDATE ON therapists_therapist "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION therapists_finder_word_pairs_on_write()",
    "CREATE TRIGGER therapists_finder_word_pairs_delete AFTER DELETE ON therapists_therapist "
    "REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION therapists_finder_word_pairs_on_write()",
    "CREATE TRIGGER therapists_finder_word_pairs_truncate AFTER TRUNCATE ON therapists_therapist "
    "FOR EACH STATEMENT EXECUTE FUNCTION therapists_finder_word_pairs_on_write()",
    *REBUILD,
    "ANALYZE therapists_finder_word_pair",
]
DROP = [
    "DROP TRIGGER IF EXISTS therapists_finder_word_pairs_truncate ON therapists_therapist",
    "DROP TRIGGER IF EXISTS therapists_finder_word_pairs_delete ON therapists_therapist",
    "DROP TRIGGER IF EXISTS therapists_finder_word_pairs_update ON therapists_therapist",
    "DROP TRIGGER IF EXISTS therapists_finder_word_pairs_insert ON therapists_therapist",
    "DROP FUNCTION IF EXISTS therapists_finder_word_pairs_on_write()",
    "DROP TABLE IF EXISTS therapists_finder_word_pair",
]


class Migration(migrations.Migration):
    dependencies = [
        ("therapists", "0010_finder_fee_covering_index"),
    ]

    operations = [
        migrations.RunPython(run_on_postgresql(CREATE), run_on_postgresql(DROP)),
    ]
