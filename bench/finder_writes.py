"""Writes against the finder's trigger-kept counts on PostgreSQL: bulk updates and bloat.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mhsite_finder_bench \\
        .venv/bin/python bench/finder_writes.py [--rounds 20] [--attempts 3] \\
        [--compare OTHER_DATABASE]

Runs on a database already seeded by ``bench/finder_bench.py`` (it refuses an
empty one) and leaves its listings as it found them: every change is made
twice, the second time undoing the first.

1. Bulk update: ``QuerySet.update()`` of 1,000 listings that changes their
   facet codes (sliding scale toggled), in three cases: on a fresh
   connection, right after a one-row ``save()`` on the same connection, and
   right after a 1,000-row update of other listings on it; ``--attempts``
   times each. The statement-level triggers fire once per statement; a plan
   kept from an earlier firing must not be reused for another size.
   Target: ≤ 1 s. ``--compare`` names a second database on the same server
   (a copy of the first at another migration, say) measured alternately
   with the first, attempt by attempt, so both see the same load.
2. Mixed write workload: ``--rounds`` rounds of single-listing saves,
   relation edits and bulk updates (alternately on each database), then
   the count tables' size beside their live size (a fresh copy of their
   rows and primary key), with
   ``pgstattuple``'s live, dead and free bytes when the extension is
   available, and the tables' storage settings and whether autovacuum runs
   (with it off, as on the benchmark server, nothing but pruning and HOT
   updates reclaims room). Target: ≤ 2×.

The load average is printed with every figure.
"""

import argparse
import random
import sys
import time

from inprocess import setup_django  # noqa: E402
from stats import load_average as load  # noqa: E402

setup_django("mhsite_finder_bench")

from django.conf import settings  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.db.models import Case, Value, When  # noqa: E402

from therapists.models import Specialty, Therapist  # noqa: E402

COUNT_TABLES = {
    "therapists_finder_pair": "a, b",
    "therapists_finder_word_pair": "word, code",
    "therapists_finder_place_pair": "place, code",
    # Not a count table but kept by the same kind of trigger (migration 0019).
    "therapists_finder_bitmap": "code, chunk",
}
BULK = 1000


def toggle_sliding_scale(pks: list[int], using: str = "default") -> float:
    """Seconds for one bulk UPDATE that changes every listing's facet codes."""
    started = time.perf_counter()
    Therapist.objects.using(using).filter(pk__in=pks).update(
        sliding_scale=Case(When(sliding_scale=True, then=Value(False)), default=Value(True))
    )
    return time.perf_counter() - started


def one_row_save(pk: int, using: str = "default") -> None:
    therapist = Therapist.objects.using(using).get(pk=pk)
    therapist.sliding_scale = not therapist.sliding_scale
    therapist.save()
    therapist.sliding_scale = not therapist.sliding_scale
    therapist.save()


def bulk_cases(rng: random.Random, pks: list[int], using: str) -> dict[str, float]:
    """The three cases' seconds for one set of 1,000 listings; every listing left as found."""
    chosen, others = rng.sample(pks, BULK), rng.sample(pks, BULK)
    connections[using].close()
    times = {"fresh connection": toggle_sliding_scale(chosen, using)}
    one_row_save(rng.choice(pks), using)
    times["after a one-row save"] = toggle_sliding_scale(chosen, using)
    toggle_sliding_scale(others, using)
    times["after a 1,000-row update"] = toggle_sliding_scale(chosen, using)
    toggle_sliding_scale(others, using)
    toggle_sliding_scale(chosen, using)
    return times


def bulk_updates(rng: random.Random, pks: list[int], aliases: list[str], attempts: int) -> None:
    print(f"\nBulk update of {BULK:,} listings (target ≤ 1 s); {load()}")
    for attempt in range(attempts):
        for alias in aliases:
            times = bulk_cases(rng, pks, alias)
            figures = ", ".join(f"{case} {seconds:.2f} s" for case, seconds in times.items())
            print(f"  run {attempt + 1} {name(alias)}: {figures}; {load()}")


def name(alias: str) -> str:
    return connections[alias].settings_dict["NAME"]


def mixed_round(rng: random.Random, pks: list[int], using: str) -> float:
    """One round of single-listing saves, relation edits and bulk updates; its seconds."""
    specialties = list(Specialty.objects.using(using).order_by("pk"))
    started = time.perf_counter()
    for pk in rng.sample(pks, 20):
        one_row_save(pk, using)
    for pk in rng.sample(pks, 10):
        therapist = Therapist.objects.using(using).get(pk=pk)
        term = rng.choice(specialties)
        if therapist.specialties.filter(pk=term.pk).exists():
            therapist.specialties.remove(term)
            therapist.specialties.add(term)
        else:
            therapist.specialties.add(term)
            therapist.specialties.remove(term)
    chosen = rng.sample(pks, BULK)
    toggle_sliding_scale(chosen, using)
    toggle_sliding_scale(chosen, using)
    return time.perf_counter() - started


def mixed_workload(seed: int, pks: list[int], rounds: int, aliases: list[str]) -> None:
    """``rounds`` rounds on each database, alternately, so that both see the same
    load and the same open transactions elsewhere on the server."""
    before = {alias: sizes(alias, "before the mixed workload") for alias in aliases}
    rngs = {alias: random.Random(seed) for alias in aliases}
    seconds = dict.fromkeys(aliases, 0.0)
    for _ in range(rounds):
        for alias in aliases:
            seconds[alias] += mixed_round(rngs[alias], pks, alias)
    for alias in aliases:
        print(f"\nMixed write workload on {name(alias)}: {rounds} rounds in {seconds[alias]:.1f} s")
        after = sizes(alias, "after it")
        print(
            f"Bloat ratios of {name(alias)}, before -> after {rounds} rounds: "
            + ", ".join(f"{t} {before[alias][t]:.2f}× -> {after[t]:.2f}×" for t in after)
        )


def storage_settings(using: str) -> None:
    with connections[using].cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        print(f"{name(using)}: autovacuum = {cursor.fetchone()[0]}")
        cursor.execute(
            "SELECT relname, reloptions FROM pg_class WHERE relname = ANY(%s) ORDER BY relname",
            [list(COUNT_TABLES)],
        )
        for table, options in cursor.fetchall():
            print(f"  {table}: {', '.join(options or ['default storage settings'])}")


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


def oldest_transaction(cursor) -> str:
    """The server's oldest open transaction that holds back pruning and VACUUM, if any.

    A snapshot's horizon is the oldest transaction running anywhere on the
    server, so a long one in another database (a seed, say) keeps every dead
    count row version here until it ends.
    """
    cursor.execute(
        "SELECT datname, now() - xact_start FROM pg_stat_activity "
        "WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid() ORDER BY xact_start LIMIT 1"
    )
    row = cursor.fetchone()
    return f"oldest open transaction: {row[1]} in {row[0]}" if row else "no open transaction"


def sizes(using: str, when: str) -> dict[str, float]:
    """Each count table's size on disk (heap and indexes) over a packed copy's; printed."""
    print(f"Count tables of {name(using)} {when}: on disk vs live (target ≤ 2×); {load()}")
    ratios = {}
    with connections[using].cursor() as cursor:
        print(f"  {oldest_transaction(cursor)}")
        for table, key in COUNT_TABLES.items():
            cursor.execute("SELECT to_regclass(%s)", [table])
            if cursor.fetchone()[0] is None:  # a database at an older migration
                continue
            cursor.execute(f"SELECT pg_total_relation_size('{table}'), COUNT(*) FROM {table}")  # noqa: S608
            total, rows = cursor.fetchone()
            cursor.execute(f"CREATE TEMPORARY TABLE live_copy AS SELECT * FROM {table}")  # noqa: S608
            cursor.execute(f"ALTER TABLE live_copy ADD PRIMARY KEY ({key})")
            cursor.execute("SELECT pg_total_relation_size('live_copy')")
            live = cursor.fetchone()[0]
            cursor.execute("DROP TABLE live_copy")
            ratios[table] = total / live
            print(
                f"  {table:<30} {rows:>9,} rows {total / 2**20:>8.1f} MB on disk, "
                f"{live / 2**20:>6.1f} MB live: {total / live:.2f}×; {tuple_stats(cursor, table)}"
            )
    return ratios


def add_database(other: str) -> list[str]:
    """The aliases to measure: the default database, and ``other`` on the same server."""
    if not other:
        return ["default"]
    # Read by the connection handler on first use, which comes after this.
    settings.DATABASES["compare"] = {**connections.settings["default"], "NAME": other}
    connections.settings["compare"] = settings.DATABASES["compare"]
    return ["default", "compare"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="mixed workload rounds (0: none)")
    parser.add_argument("--attempts", type=int, default=3, help="bulk update attempts per case")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--compare", default="", help="a second database, measured alternately")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL.")
    aliases = add_database(args.compare)
    pks = list(Therapist.objects.order_by("pk").values_list("pk", flat=True))
    for alias in aliases[1:]:
        if list(Therapist.objects.using(alias).order_by("pk").values_list("pk", flat=True)) != pks:
            sys.exit(f"{name(alias)} does not hold the same listings as {name('default')}.")
    if len(pks) < 10 * BULK:
        sys.exit("Seed the database first (bench/finder_bench.py).")
    rng = random.Random(args.seed)
    print(f"{len(pks):,} listings; {load()}")
    for alias in aliases:
        storage_settings(alias)
    bulk_updates(rng, pks, aliases, args.attempts)
    if args.rounds:
        mixed_workload(args.seed, pks, args.rounds, aliases)


if __name__ == "__main__":
    main()
