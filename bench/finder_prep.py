"""Putting a finder bench database in the same state before every timed run, and printing it.

Two runs of bench/finder_bench.py once disagreed by almost 2× (a worst cold
p95 of 79 ms, then 146 ms, at 100,000 listings). What differs between two
runs on the same data, besides the machine's load:

- right after seeding, the first reads of every row set its hint bits and
  dirty the page, so the first run writes what the second only reads;
- without a VACUUM the visibility map is empty and "index-only" scans read
  the heap too; without ANALYZE the plans are made on guesses;
- pages are in PostgreSQL's buffers or the OS cache for one run and not the
  other (a seed evicts them, another database's bench evicts them);
- where autovacuum runs, it may start in the middle of a run.

So before timing: ``VACUUM (FREEZE, ANALYZE)`` (hint bits, visibility map,
frozen rows: nothing left for the reads or for autovacuum to write),
``CHECKPOINT`` (no dirty pages written during the run), and ``pg_prewarm``
of the finder's tables and indexes when the extension is available.
"""

import time

from django.db import connection

# The tables the finder reads, with their indexes and TOAST.
FINDER_TABLES = (
    "therapists_therapist",
    "therapists_finder_pair",
    "therapists_finder_word_pair",
    "therapists_finder_place_pair",
    "therapists_finder_bitmap",
    "therapists_finder_name",
    "therapists_therapist_specialties",
    "therapists_therapist_approaches",
    "therapists_therapist_languages",
    "therapists_therapist_communities_served",
    "therapists_therapist_communities_identifies",
    "therapists_therapist_faiths",
    "therapists_therapist_age_groups",
    "therapists_therapist_insurance_plans",
    "therapists_therapist_telehealth_regions",
)


def settle() -> list[str]:
    """VACUUM (FREEZE, ANALYZE), CHECKPOINT, prewarm; return what was done, timed."""
    done = []
    with connection.cursor() as cursor:
        for label, statement in (
            ("VACUUM (FREEZE, ANALYZE)", "VACUUM (FREEZE, ANALYZE)"),
            ("CHECKPOINT", "CHECKPOINT"),
        ):
            started = time.monotonic()
            cursor.execute(statement)
            done.append(f"{label} {time.monotonic() - started:.1f}s")
        done.append(prewarm(cursor))
    return done


def prewarm(cursor) -> str:
    """Read the finder's relations into the OS cache, and the small ones into shared buffers."""
    cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_prewarm'")
    if not cursor.fetchone():
        return "pg_prewarm not available: the first timed rounds may read from disk"
    cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
    cursor.execute("SELECT setting::bigint * 8192 FROM pg_settings WHERE name = 'shared_buffers'")
    buffers = cursor.fetchone()[0]
    cursor.execute(
        "SELECT array_agg(to_regclass(name)::oid) FROM unnest(%s::text[]) AS name",
        [list(FINDER_TABLES)],
    )
    tables = [oid for oid in cursor.fetchone()[0] if oid]
    cursor.execute(
        "SELECT c.oid, pg_relation_size(c.oid) FROM pg_class AS c "
        "WHERE c.relkind IN ('r', 'i', 't') AND (c.oid = ANY(%(tables)s::oid[]) "
        "OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = ANY(%(tables)s::oid[])) "
        "OR c.oid IN (SELECT reltoastrelid FROM pg_class WHERE oid = ANY(%(tables)s::oid[])))",
        {"tables": tables},
    )
    relations = cursor.fetchall()
    started = time.monotonic()
    pages = 0
    for oid, size in relations:
        # Everything into the OS cache; into shared buffers only what leaves
        # room for the rest (the big listing heap would just evict itself).
        mode = "buffer" if size < buffers // 8 else "read"
        cursor.execute("SELECT pg_prewarm(%s, %s)", [oid, mode])
        pages += cursor.fetchone()[0]
    return f"pg_prewarm {pages * 8 / 1024:,.0f} MB in {time.monotonic() - started:.1f}s"


# In the select list generate_series streams its rows; in FROM it fills a
# tuplestore that spills to a temporary file at the default work_mem, and that
# file's I/O would be timed too (tests/test_bench_calibration.py).
CALIBRATION = "SELECT sum(i) FROM (SELECT generate_series(1, 300000) AS i) AS s"


def calibration_ms(samples: int = 7) -> float:
    """Median time of a fixed CPU-only statement: how fast the machine is right now.

    The searches' times scale with it when other work shares the CPUs, so
    figures from two runs can be compared once divided by it.
    """
    times = []
    with connection.cursor() as cursor:
        for _ in range(samples):
            started = time.perf_counter()
            cursor.execute(CALIBRATION)
            cursor.fetchone()
            times.append((time.perf_counter() - started) * 1000)
    return sorted(times)[len(times) // 2]


# What the bench prints of the state it runs in: the settings and the tables' sizes.
SETTINGS_SHOWN = (
    "server_version",
    "shared_buffers",
    "effective_cache_size",
    "work_mem",
    "maintenance_work_mem",
    "jit",
    "plan_cache_mode",
    "random_page_cost",
    "max_parallel_workers_per_gather",
    "autovacuum",
)
# The finder's tables, for the sizes printed beside the figures.
SIZED_TABLES = (
    "therapists_therapist",
    "therapists_finder_pair",
    "therapists_finder_word_pair",
    "therapists_finder_place_pair",
    "therapists_finder_bitmap",
    "therapists_finder_name",
)


def print_settings() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, setting, COALESCE(unit, ''), source FROM pg_settings "
            "WHERE name = ANY(%s) ORDER BY name",
            [list(SETTINGS_SHOWN)],
        )
        rows = cursor.fetchall()
    print("PostgreSQL settings on the bench's connection (name = value unit [source]):")
    for name, setting, unit, source in rows:
        print(f"  {name} = {setting}{' ' + unit if unit else ''} [{source}]")
    return {name: f"{setting}{' ' + unit if unit else ''}" for name, setting, unit, _ in rows}


def print_sizes() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_relation_size(c.oid), pg_indexes_size(c.oid), "
            "c.reltuples::bigint FROM pg_class c WHERE c.relname = ANY(%s) ORDER BY c.relname",
            [list(SIZED_TABLES)],
        )
        rows = cursor.fetchall()
    print("Table sizes (heap / all indexes / estimated rows):")
    for name, heap, indexes, tuples in rows:
        print(f"  {name:<32} {heap / 2**20:>9.1f} MB {indexes / 2**20:>9.1f} MB {tuples:>12,}")
