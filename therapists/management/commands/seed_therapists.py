"""Generate synthetic therapist listings for benchmarks: ``seed_therapists --count N``.

The listings come from ``therapists.seeding_generator`` (the same ``--seed``
on the same database state gives the same listings). Two ways to write them:

- ``copy`` (the default on PostgreSQL): one transaction, ``COPY`` with the
  finder's triggers off, then the finder's derived data rebuilt once and a
  ``VACUUM ANALYZE`` (``therapists.seeding_copy``). An interrupted seed
  writes nothing.
- ``batches`` (the default elsewhere): one transaction per ``--batch-size``
  listings through ``therapists.seeding.insert_listings`` (``bulk_create``, or
  ``COPY`` with the triggers counting each batch on PostgreSQL). An
  interrupted seed keeps every batch already written.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from therapists import seeding_copy
from therapists.demo import ensure_terms, ensure_vocabularies
from therapists.models import Region, Therapist
from therapists.seeding import insert_listings, vacuum_count_tables
from therapists.seeding_generator import CITIES, SLUG_PREFIX, ListingGenerator

# One transaction per batch. Larger batches (fewer statements for the
# finder's pair-count triggers, migration 0009) were not consistently faster
# (bench/findings.md).
DEFAULT_BATCH_SIZE = 2000
MAX_BATCH_SIZE = 10_000
METHODS = ("auto", "copy", "batches")


class Command(BaseCommand):
    help = (
        "Generate N synthetic therapist listings (deterministic with --seed) for benchmarks. "
        "Creates the demo vocabularies if they are missing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="How many listings.")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"Listings per transaction, --method batches (default {DEFAULT_BATCH_SIZE:,}).",
        )
        parser.add_argument("--seed", type=int, default=42, help="Random seed (default 42).")
        parser.add_argument(
            "--method",
            choices=METHODS,
            default="auto",
            help="copy: one bulk transaction (PostgreSQL only); batches: one transaction per "
            "batch; auto (default): copy on PostgreSQL, batches elsewhere.",
        )

    def handle(self, *args, count, batch_size, seed, method, **options):
        if count < 1:
            raise CommandError("--count must be a positive number of listings.")
        if not 1 <= batch_size <= MAX_BATCH_SIZE:
            raise CommandError(f"--batch-size must be between 1 and {MAX_BATCH_SIZE}.")
        postgres = connection.vendor == "postgresql"
        if method == "copy" and not postgres:
            raise CommandError("--method copy needs PostgreSQL.")
        started = time.monotonic()
        vocabularies = ensure_vocabularies()
        vocabularies["region"] |= ensure_terms(Region, sorted({city[1] for city in CITIES}))
        first_number = self._next_number()
        # Seeded with the starting number too, so a second run with the same
        # seed adds different listings rather than near-duplicates.
        generator = ListingGenerator(
            seed * 1_000_003 + first_number, vocabularies, timezone.localdate()
        )

        def make(n: int):
            return generator.listing(first_number + n)

        progress = lambda done: self._progress(done, count, started)  # noqa: E731
        if method == "copy" or (method == "auto" and postgres):
            relation_rows = seeding_copy.bulk_load(make, count, progress)
            with seeding_copy.phase("VACUUM ANALYZE"):
                seeding_copy.vacuum_loaded_tables()
            self.stdout.write(
                "Time by phase: "
                + "; ".join(
                    f"{name} {seconds:.1f}s" for name, seconds in seeding_copy.timings.items()
                )
            )
        else:
            relation_rows = self._batches(make, count, batch_size, progress)
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Created {count:,} synthetic listings and {relation_rows:,} relation rows "
            f"in {elapsed:.1f}s ({count / elapsed:,.0f} listings/s)."
        )

    def _batches(self, make, count: int, batch_size: int, progress) -> int:
        done = relation_rows = 0
        while done < count:
            batch = [make(n) for n in range(done, min(done + batch_size, count))]
            # One transaction per batch: an interrupted seed keeps every
            # batch already written and none of the one in progress.
            with transaction.atomic():
                relation_rows += insert_listings(batch)
            vacuum_count_tables()
            done += len(batch)
            progress(done)
        return relation_rows

    def _next_number(self) -> int:
        last = (
            Therapist.objects.filter(slug__startswith=SLUG_PREFIX)
            .order_by("-slug")
            .values_list("slug", flat=True)
            .first()
        )
        if last is None:
            return 1
        try:
            return int(last.removeprefix(SLUG_PREFIX)) + 1
        except ValueError:
            return Therapist.objects.filter(slug__startswith=SLUG_PREFIX).count() + 1

    def _progress(self, done: int, total: int, started: float) -> None:
        width = 30
        filled = width * done // total
        bar = "#" * filled + "-" * (width - filled)
        line = (
            f"[{bar}] {100 * done // total:3d}% {done:,}/{total:,} "
            f"{time.monotonic() - started:.1f}s"
        )
        interactive = getattr(self.stdout._out, "isatty", lambda: False)()
        if interactive:
            self.stdout.write(f"\r{line}", ending="\n" if done == total else "")
        else:
            self.stdout.write(line)
        self.stdout.flush()
