"""Writes against the finder's trigger-kept counts on PostgreSQL: bulk updates and bloat.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mhsite_finder_bench \\
        .venv/bin/python bench/finder_writes.py [--rounds 20]

Runs on a database already seeded by ``bench/finder_bench.py`` (it refuses an
empty one) and leaves its listings as it found them: every change is made
twice, the second time undoing the first.

1. Bulk update: ``QuerySet.update()`` of 1,000 listings that changes their
   facet codes (sliding scale toggled), on a fresh connection and then right
   after a one-row ``save()`` on the same connection, three times each. The
   statement-level triggers fire once per statement; a plan kept from an
   earlier firing over one row must not be reused for 1,000. Target: ≤ 1 s.
2. Mixed write workload: ``--rounds`` rounds of single-listing saves,
   relation edits and bulk updates, then the count tables' size beside their
   live size (a fresh copy of their rows and primary key), with
   ``pgstattuple``'s live, dead and free bytes when the extension is
   available, and the tables' storage settings and whether autovacuum runs
   (with it off, as on the benchmark server, nothing but pruning and HOT
   updates reclaims room). Target: ≤ 2×.

The load average is printed with every figure.
"""

import argparse
import os
import random
import sys
import time

from inprocess import setup_django  # noqa: E402

setup_django("mhsite_finder_bench")

from django.db import connection  # noqa: E402
from django.db.models import Case, Value, When  # noqa: E402

from therapists.models import Specialty, Therapist  # noqa: E402

COUNT_TABLES = {
    "therapists_finder_pair": "a, b",
    "therapists_finder_word_pair": "word, code",
    "therapists_finder_place_pair": "place, code",
}
BULK = 1000


def load() -> str:
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def toggle_sliding_scale(pks: list[int]) -> float:
    """Seconds for one bulk UPDATE that changes every listing's facet codes."""
    started = time.perf_counter()
    Therapist.objects.filter(pk__in=pks).update(
        sliding_scale=Case(When(sliding_scale=True, then=Value(False)), default=Value(True))
    )
    return time.perf_counter() - started


def one_row_save(pk: int) -> None:
    therapist = Therapist.objects.get(pk=pk)
    therapist.sliding_scale = not therapist.sliding_scale
    therapist.save()
    therapist.sliding_scale = not therapist.sliding_scale
    therapist.save()


def bulk_updates(rng: random.Random, pks: list[int]) -> None:
    print(f"\nBulk update of {BULK:,} listings (target ≤ 1 s); {load()}")
    for attempt in range(3):
        chosen = rng.sample(pks, BULK)
        connection.close()
        fresh = toggle_sliding_scale(chosen)
        connection.close()
        one_row_save(rng.choice(pks))
        after_save = toggle_sliding_scale(chosen)
        print(
            f"  run {attempt + 1}: fresh connection {fresh:.2f} s, "
            f"after a one-row save on the connection {after_save:.2f} s; {load()}"
        )


def mixed_workload(rng: random.Random, pks: list[int], rounds: int) -> None:
    specialties = list(Specialty.objects.all())
    started = time.perf_counter()
    for _ in range(rounds):
        for pk in rng.sample(pks, 20):
            one_row_save(pk)
        for pk in rng.sample(pks, 10):
            therapist = Therapist.objects.get(pk=pk)
            term = rng.choice(specialties)
            if therapist.specialties.filter(pk=term.pk).exists():
                therapist.specialties.remove(term)
                therapist.specialties.add(term)
            else:
                therapist.specialties.add(term)
                therapist.specialties.remove(term)
        chosen = rng.sample(pks, BULK)
        toggle_sliding_scale(chosen)
        toggle_sliding_scale(chosen)
    print(f"\nMixed write workload: {rounds} rounds in {time.perf_counter() - started:.1f} s")


def storage_settings() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        print(f"autovacuum = {cursor.fetchone()[0]}")
        cursor.execute(
            "SELECT relname, reloptions FROM pg_class WHERE relname = ANY(%s) ORDER BY relname",
            [list(COUNT_TABLES)],
        )
        for name, options in cursor.fetchall():
            print(f"  {name}: {', '.join(options or ['default storage settings'])}")


def tuple_stats(cursor, table: str) -> str:
    """pgstattuple's live / dead / free bytes, or the statistics collector's row counts."""
    cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pgstattuple'")
    if cursor.fetchone():
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pgstattuple")
        cursor.execute("SELECT tuple_len, dead_tuple_len, free_space FROM pgstattuple(%s)", [table])
        live, dead, free = cursor.fetchone()
        mb = 2**20
        return f"live {live / mb:.1f} MB, dead {dead / mb:.1f} MB, free {free / mb:.1f} MB"
    cursor.execute(
        "SELECT n_live_tup, n_dead_tup FROM pg_stat_user_tables WHERE relname = %s", [table]
    )
    live, dead = cursor.fetchone()
    return f"{live:,} live and {dead:,} dead row versions"


def sizes() -> None:
    print(f"Count tables: size on disk vs live size (target ≤ 2×); {load()}")
    with connection.cursor() as cursor:
        for table, key in COUNT_TABLES.items():
            cursor.execute(f"SELECT pg_total_relation_size('{table}'), COUNT(*) FROM {table}")  # noqa: S608
            total, rows = cursor.fetchone()
            cursor.execute(f"CREATE TEMPORARY TABLE live_copy AS SELECT * FROM {table}")  # noqa: S608
            cursor.execute(f"ALTER TABLE live_copy ADD PRIMARY KEY ({key})")
            cursor.execute("SELECT pg_total_relation_size('live_copy')")
            live = cursor.fetchone()[0]
            cursor.execute("DROP TABLE live_copy")
            print(
                f"  {table:<30} {rows:>9,} rows {total / 2**20:>8.1f} MB on disk, "
                f"{live / 2**20:>6.1f} MB live: {total / live:.2f}×; {tuple_stats(cursor, table)}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL.")
    pks = list(Therapist.objects.order_by("pk").values_list("pk", flat=True))
    if len(pks) < 10 * BULK:
        sys.exit("Seed the database first (bench/finder_bench.py).")
    rng = random.Random(args.seed)
    print(f"{len(pks):,} listings; {load()}")
    storage_settings()
    sizes()
    bulk_updates(rng, pks)
    mixed_workload(rng, pks, args.rounds)
    sizes()


if __name__ == "__main__":
    main()
