"""PostgreSQL: a function that runs a search's statement with the planner kept on the indexes.

A search's statement must not be planned with a sequential scan: for a
common word the planner prefers reading the whole table, but testing each
row's vector (stored out of line) costs several times the GIN index's answer
(docs/search.md). The setting used to come from ``SET LOCAL`` in a
transaction around the page, three more round trips (BEGIN, SET, COMMIT)
for every search. A function's ``SET`` clause applies the setting while the
function runs and restores it on return, inside the one statement.

The function runs the statement text it is given, as the caller: it can do
nothing the caller's own connection could not. ``articles/search/results.py``
passes it the statements it built, every value quoted by the database driver.
"""

from django.db import migrations

from mhsite.pg_operations import RunSQLOnVendor

POSTGRESQL = [
    """CREATE FUNCTION article_search_rows(statement text)
RETURNS TABLE (kind integer, key text, label text, value bigint, place bigint)
LANGUAGE plpgsql SET enable_seqscan = off AS $$
BEGIN
    RETURN QUERY EXECUTE statement;
END
$$""",
]
POSTGRESQL_REVERSE = ["DROP FUNCTION IF EXISTS article_search_rows(text)"]


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_search_category_ids"),
    ]

    operations = [
        RunSQLOnVendor("postgresql", POSTGRESQL, POSTGRESQL_REVERSE),
    ]
