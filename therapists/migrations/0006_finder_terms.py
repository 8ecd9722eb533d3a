"""PostgreSQL: every listing's vocabulary terms as one integer array, for facet counts.

The finder's facet counts used to read the eight many-to-many tables (about 13
relation rows per listing, 1.3 million at 100,000 listings) once per vocabulary
group. ``finder_terms`` holds the same relations as one ``bigint[]`` per
listing, each element ``group number << 32 | term id`` (the group numbers are
``therapists.finder.codes.VocabularyGroup.number``), so one pass over the matching
listings with ``unnest`` counts every group's terms, and a vocabulary filter
is an ``&&`` on the row instead of a semi-join.

The column is added to the covering index, so counting is an index-only scan.
It is kept current by ``therapists.finder.maintenance.refresh_finder_terms`` (signals,
``seed_therapists``). It exists on PostgreSQL only and is not a model field:
SQLite has no arrays, and the finder counts through the relation tables there.
"""

from django.db import migrations

from therapists.pg_operations import run_on_postgresql

# (group number, relation table, vocabulary column): a snapshot of
# therapists.finder.codes.VOCABULARY_GROUPS when this migration was written.
GROUPS = [
    (1, "therapists_therapist_specialties", "specialty_id"),
    (2, "therapists_therapist_approaches", "approach_id"),
    (3, "therapists_therapist_languages", "language_id"),
    (4, "therapists_therapist_communities_served", "community_id"),
    (5, "therapists_therapist_communities_identifies", "community_id"),
    (6, "therapists_therapist_faiths", "faith_id"),
    (7, "therapists_therapist_age_groups", "agegroup_id"),
    (8, "therapists_therapist_insurance_plans", "insuranceplan_id"),
]
TERMS = " UNION ALL ".join(
    f"SELECT ({number}::bigint << 32) | {column} FROM {table} WHERE therapist_id = t.id"  # noqa: S608
    for number, table, column in GROUPS
)
OLD_INDEX = (
    "CREATE INDEX IF NOT EXISTS therapist_finder_cover_idx ON therapists_therapist "
    "(availability_confirmed_on DESC NULLS LAST, name, id) "
    "INCLUDE (availability, in_person, online, sliding_scale, fee_min, gender, "
    "latitude, longitude, city, region, postal_code) "
    "WHERE is_published"
)
CREATE = [
    "ALTER TABLE therapists_therapist "
    "ADD COLUMN IF NOT EXISTS finder_terms bigint[] NOT NULL DEFAULT '{}'",
    f"UPDATE therapists_therapist t SET finder_terms = ARRAY({TERMS} ORDER BY 1)",  # noqa: S608
    "DROP INDEX IF EXISTS therapist_finder_cover_idx",
    OLD_INDEX.replace("postal_code)", "postal_code, finder_terms)"),
]
DROP = [
    "DROP INDEX IF EXISTS therapist_finder_cover_idx",
    "ALTER TABLE therapists_therapist DROP COLUMN IF EXISTS finder_terms",
    OLD_INDEX,
]


class Migration(migrations.Migration):
    dependencies = [
        ("therapists", "0005_finder_covering_index"),
    ]

    operations = [
        migrations.RunPython(run_on_postgresql(CREATE), run_on_postgresql(DROP)),
    ]
