"""PostgreSQL: each search document carries its article's category ids, kept by triggers.

A search's category counts then group the matches by that small array (a few
hundred distinct sets) instead of joining every match to the category links:
for a word in 6,500 articles, about 1 ms instead of about 10 (docs/search.md).
The column exists on PostgreSQL only (the model does not declare it); SQLite
still counts through the links.
"""

from django.db import migrations

from mhsite.pg_operations import RunSQLOnVendor

POSTGRESQL = [
    # PLAIN: never compressed or moved out of line (the table's
    # toast_tuple_target of 128 would otherwise move it), so grouping reads it
    # from the row.
    "ALTER TABLE articles_searchdocument ADD COLUMN category_ids bigint[] NOT NULL DEFAULT '{}'",
    "ALTER TABLE articles_searchdocument ALTER COLUMN category_ids SET STORAGE PLAIN",
    """CREATE FUNCTION article_search_category_ids(article bigint) RETURNS bigint[]
LANGUAGE sql STABLE AS $$
    SELECT COALESCE(array_agg(category_id ORDER BY category_id), '{}')
    FROM articles_article_categories WHERE article_id = article
$$""",
    # A new document (a first save, a rebuild) starts with the links already there.
    """CREATE FUNCTION article_search_fill_categories() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.category_ids := article_search_category_ids(NEW.article_id);
    RETURN NEW;
END
$$""",
    """CREATE TRIGGER article_search_categories_fill
BEFORE INSERT ON articles_searchdocument FOR EACH ROW
EXECUTE FUNCTION article_search_fill_categories()""",
    # Any write to the links (admin, bulk_create, a category's deletion, raw SQL).
    """CREATE FUNCTION article_search_copy_categories() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE articles_searchdocument
        SET category_ids = article_search_category_ids(OLD.article_id)
        WHERE article_id = OLD.article_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE articles_searchdocument
        SET category_ids = article_search_category_ids(NEW.article_id)
        WHERE article_id = NEW.article_id;
    END IF;
    RETURN NULL;
END
$$""",
    """CREATE TRIGGER article_search_categories
AFTER INSERT OR UPDATE OR DELETE ON articles_article_categories FOR EACH ROW
EXECUTE FUNCTION article_search_copy_categories()""",
    "UPDATE articles_searchdocument SET category_ids = article_search_category_ids(article_id)",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS article_search_categories ON articles_article_categories",
    "DROP FUNCTION IF EXISTS article_search_copy_categories()",
    "DROP TRIGGER IF EXISTS article_search_categories_fill ON articles_searchdocument",
    "DROP FUNCTION IF EXISTS article_search_fill_categories()",
    "DROP FUNCTION IF EXISTS article_search_category_ids(bigint)",
    "ALTER TABLE articles_searchdocument DROP COLUMN IF EXISTS category_ids",
]


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_article_page_parts"),
    ]

    operations = [
        RunSQLOnVendor("postgresql", POSTGRESQL, POSTGRESQL_REVERSE),
    ]
