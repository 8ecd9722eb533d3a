"""PostgreSQL: two per-document values a search used to compute for every match.

- ``rank_norm``: the length normalisation of ``ts_rank(rank_vector, q, 1)``,
  log2 of one plus the vector's number of positions. ``ts_rank`` counted
  them for every match of every search; read from the row, the rank is
  ``(ts_rank(rank_vector, q, 0)::float8 / rank_norm)::real``, the same float
  (articles/search/postgres.py, ``NormalisedRank``).
- ``category_set``: the id of the document's set of category ids in
  ``articles_search_category_set`` (one row per distinct set, a few hundred).
  A search's category counts group its matches by this integer instead of by
  the array, and the matches it keeps in memory are narrower.

A BEFORE trigger keeps both from ``rank_vector`` and ``category_ids`` however
the row is written (indexing, the category-link trigger of 0011, raw SQL); it
fires after ``article_search_categories_fill`` (triggers of one kind fire in
name order), so a new document's set is that of its filled ``category_ids``.
"""

from django.db import migrations

from mhsite.pg_operations import RunSQLOnVendor

POSTGRESQL = [
    """CREATE TABLE articles_search_category_set (
    id serial CONSTRAINT article_search_category_set_pkey PRIMARY KEY,
    category_ids bigint[] NOT NULL CONSTRAINT article_search_category_set_ids_key UNIQUE
)""",
    # rank_norm 1 for an empty vector: ts_rank gives 0 before normalising.
    """CREATE FUNCTION article_search_rank_norm(v tsvector) RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT COALESCE(
        ln((sum(GREATEST(COALESCE(cardinality(u.positions), 0), 1)) + 1)::double precision)
        / ln(2.0::double precision), 1)
    FROM unnest(v) AS u
$$""",
    """CREATE FUNCTION article_search_category_set(ids bigint[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    found integer;
BEGIN
    SELECT s.id INTO found FROM articles_search_category_set s WHERE s.category_ids = ids;
    IF found IS NULL THEN
        INSERT INTO articles_search_category_set (category_ids) VALUES (ids)
        ON CONFLICT (category_ids) DO NOTHING RETURNING id INTO found;
    END IF;
    IF found IS NULL THEN  -- inserted by a concurrent transaction since
        SELECT s.id INTO found FROM articles_search_category_set s WHERE s.category_ids = ids;
    END IF;
    RETURN found;
END
$$""",
    "ALTER TABLE articles_searchdocument ADD COLUMN rank_norm double precision NOT NULL DEFAULT 1",
    "ALTER TABLE articles_searchdocument ADD COLUMN category_set integer",
    """CREATE FUNCTION article_search_derived() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.rank_norm := COALESCE(article_search_rank_norm(NEW.rank_vector), 1);
    NEW.category_set := article_search_category_set(NEW.category_ids);
    RETURN NEW;
END
$$""",
    """CREATE TRIGGER article_search_derived
BEFORE INSERT OR UPDATE OF rank_vector, category_ids, rank_norm, category_set
ON articles_searchdocument FOR EACH ROW EXECUTE FUNCTION article_search_derived()""",
    "UPDATE articles_searchdocument SET rank_norm = rank_norm",
    "ALTER TABLE articles_searchdocument ALTER COLUMN category_set SET NOT NULL",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS article_search_derived ON articles_searchdocument",
    "DROP FUNCTION IF EXISTS article_search_derived()",
    "ALTER TABLE articles_searchdocument DROP COLUMN IF EXISTS category_set",
    "ALTER TABLE articles_searchdocument DROP COLUMN IF EXISTS rank_norm",
    "DROP FUNCTION IF EXISTS article_search_category_set(bigint[])",
    "DROP FUNCTION IF EXISTS article_search_rank_norm(tsvector)",
    "DROP TABLE IF EXISTS articles_search_category_set",
]


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_search_phrase_lexemes"),
    ]

    operations = [
        RunSQLOnVendor("postgresql", POSTGRESQL, POSTGRESQL_REVERSE),
    ]
