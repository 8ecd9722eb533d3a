"""PostgreSQL: synonym phrases stored as one lexeme in each matching document's vector.

See articles/search/phrases.py. A listed phrase ("low mood") is a lexeme of
every document whose ``vector`` matches the phrase's tsquery, and of no other:

- ``article_search_phrases`` (BEFORE INSERT OR UPDATE OF vector on the
  documents) drops a vector's phrase lexemes and adds those of the listed
  phrases it matches, however the vector is written;
- ``article_search_phrase_reindex`` (AFTER each row written to the list)
  rewrites the vectors of the documents a phrase added, changed or removed
  concerns, so the first trigger recomputes them. It first locks the document
  table against writes (SHARE ROW EXCLUSIVE), so a document written by a
  concurrent transaction is either seen by its UPDATE or sees the new list.

A search asks ``article_search_phrase_query(phrase)``: the lexeme when the
phrase is listed (in the statement's snapshot), else the phrase's tsquery.
The migration lists the synonym sets' phrases and rewrites every vector once.
"""

from django.db import migrations

from mhsite.pg_operations import RunSQLOnVendor

TABLES = [
    """CREATE TABLE articles_search_phrase (
    phrase text NOT NULL CONSTRAINT article_search_phrase_pkey PRIMARY KEY,
    CONSTRAINT article_search_phrase_words CHECK (
        phrase ~ '^[[:alpha:]]+( [[:alpha:]]+)+$'
        AND numnode(websearch_to_tsquery('english'::regconfig, '"' || phrase || '"')) > 0)
)""",
    """CREATE FUNCTION article_search_phrase_free(v tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT ts_delete(v, ARRAY(SELECT u.lexeme FROM unnest(v) AS u WHERE strpos(u.lexeme, ' ') > 0))
$$""",
    """CREATE FUNCTION article_search_phrase_lexemes(v tsvector) RETURNS tsvector
LANGUAGE sql STABLE STRICT AS $$
    SELECT array_to_tsvector(ARRAY(
        SELECT p.phrase FROM articles_search_phrase p WHERE v @@ websearch_to_tsquery('english'::regconfig, '"' || p.phrase || '"')))
$$""",
    """CREATE FUNCTION article_search_phrase_query(phrase text) RETURNS tsquery
LANGUAGE sql STABLE STRICT AS $$
    SELECT CASE WHEN EXISTS (SELECT 1 FROM articles_search_phrase p WHERE p.phrase = $1)
                THEN quote_literal($1)::tsquery
                ELSE websearch_to_tsquery('english'::regconfig, '"' || $1 || '"') END
$$""",
    """CREATE FUNCTION article_search_phrases_index() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.vector := article_search_phrase_free(NEW.vector);
    NEW.vector := NEW.vector || article_search_phrase_lexemes(NEW.vector);
    RETURN NEW;
END
$$""",
    """CREATE TRIGGER article_search_phrases BEFORE INSERT OR UPDATE OF vector
ON articles_searchdocument FOR EACH ROW EXECUTE FUNCTION article_search_phrases_index()""",
]

REINDEX = [
    """CREATE FUNCTION article_search_phrase_reindex() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE articles_searchdocument IN SHARE ROW EXCLUSIVE MODE;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE articles_searchdocument d SET vector = d.vector
         WHERE d.vector @@ quote_literal(OLD.phrase)::tsquery;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE articles_searchdocument d SET vector = d.vector
         WHERE d.vector @@ websearch_to_tsquery('english'::regconfig, '"' || NEW.phrase || '"');
    END IF;
    RETURN NULL;
END
$$""",
    """CREATE TRIGGER article_search_phrase_reindex AFTER INSERT OR UPDATE OR DELETE
ON articles_search_phrase FOR EACH ROW EXECUTE FUNCTION article_search_phrase_reindex()""",
]

REVERSE = [
    "DROP TRIGGER IF EXISTS article_search_phrases ON articles_searchdocument",
    "UPDATE articles_searchdocument SET vector = article_search_phrase_free(vector)",
    "DROP TABLE IF EXISTS articles_search_phrase",
    "DROP FUNCTION IF EXISTS article_search_phrases_index()",
    "DROP FUNCTION IF EXISTS article_search_phrase_query(text)",
    "DROP FUNCTION IF EXISTS article_search_phrase_lexemes(tsvector)",
    "DROP FUNCTION IF EXISTS article_search_phrase_free(tsvector)",
]
REINDEX_REVERSE = [
    "DROP TRIGGER IF EXISTS article_search_phrase_reindex ON articles_search_phrase",
    "DROP FUNCTION IF EXISTS article_search_phrase_reindex()",
]


def list_phrases(apps, schema_editor):
    """The synonym sets' phrases, then every vector rewritten once (the trigger adds lexemes)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    from articles.search.phrases import ACCEPTED, TABLE, phrases_of

    synonyms = apps.get_model("articles", "SearchSynonym")
    phrases = phrases_of(synonyms.objects.values_list("terms", flat=True))
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (phrase) SELECT p FROM unnest(%s::text[]) AS p WHERE {ACCEPTED}",  # noqa: S608
            [sorted(phrases)],
        )
        cursor.execute("UPDATE articles_searchdocument SET vector = vector")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_search_rows_function"),
    ]

    operations = [
        RunSQLOnVendor("postgresql", TABLES, REVERSE),
        migrations.RunPython(list_phrases, migrations.RunPython.noop),
        RunSQLOnVendor("postgresql", REINDEX, REINDEX_REVERSE),
    ]
