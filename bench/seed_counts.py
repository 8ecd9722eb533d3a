"""The bulk seeder's count-table phase: the per-place table from the bitmap read, or from SQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mhsite_finder_bench \\
        .venv/bin/python bench/seed_counts.py [--rounds 2]

On a seeded database, times alternately, each in a transaction rolled back:

- before: the code and word bitmaps read in id order, then
  ``maintenance.refresh_finder_place_pairs()`` (one SQL aggregation of every
  listing's places x codes), as ``seed_therapists`` did;
- after: ``seeding_counts.read_bitmaps()``, which reads the listings in order
  of their place keys and counts the place table in the same pass.

Only the reading and counting are timed (writing the pair and word tables
from the bitmaps is the same in both). The load average is printed with each.
"""

import argparse
import os
import sys
import time

from inprocess import setup_django  # noqa: E402

setup_django("mhsite_finder_bench")

from django.db import connection, transaction  # noqa: E402

from therapists import seeding_counts  # noqa: E402
from therapists.finder import maintenance  # noqa: E402
from therapists.finder.codes import listing_codes_sql  # noqa: E402
from therapists.models import Therapist  # noqa: E402


def load() -> str:
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def before() -> None:
    """The id-order read (bitmaps only) and the SQL rebuild of the place table."""
    with connection.connection.cursor(name="bench_count_read") as cursor:
        cursor.itersize = seeding_counts.READ_CHUNK
        cursor.execute(
            f"SELECT {listing_codes_sql('listing')}, "  # noqa: S608
            "tsvector_to_array(listing.search_vector) FROM therapists_therapist AS listing "
            "WHERE listing.is_published ORDER BY listing.id"
        )
        width = (Therapist.objects.listed().count() + 7) // 8
        bitmaps: dict = {}
        for index, (codes, words) in enumerate(cursor):
            byte, bit = index >> 3, 1 << (index & 7)
            for key in [*codes, *(words or ())]:
                bits = bitmaps.get(key)
                if bits is None:
                    bits = bitmaps[key] = bytearray(width)
                bits[byte] |= bit
    maintenance.refresh_finder_place_pairs()


def after() -> None:
    seeding_counts.read_bitmaps()[2].rows()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL.")
    print(f"{Therapist.objects.listed().count():,} listed listings; {load()}")
    for round_ in range(args.rounds):
        for label, phase in (("before", before), ("after", after)):
            with transaction.atomic():
                started = time.perf_counter()
                phase()
                seconds = time.perf_counter() - started
                transaction.set_rollback(True)
            print(f"  round {round_ + 1} {label}: {seconds:.1f} s; {load()}")


if __name__ == "__main__":
    main()
