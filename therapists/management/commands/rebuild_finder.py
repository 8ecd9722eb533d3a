"""Rebuild the finder's derived data from the listings, then check it: ``rebuild_finder``.

Nothing needs rebuilding in normal operation (signals and database triggers
keep it exact). Run it after restoring listings with triggers disabled, after
a bulk load that bypassed signals, or with ``--check`` to only compare the
stored data with a fresh computation (exit status 1 when they differ).
"""

from django.core.management.base import BaseCommand, CommandError

from therapists.finder import maintenance
from therapists.finder.text import uses_postgres_search


class Command(BaseCommand):
    help = "Rebuild the therapist finder's derived data (PostgreSQL) and verify it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only verify the derived data; change nothing.",
        )

    def handle(self, *args, check=False, **options):
        if not uses_postgres_search():
            self.stdout.write(
                "Nothing to rebuild: the finder keeps no derived data on this database."
            )
            return
        if not check:
            for what, rows in maintenance.rebuild().items():
                self.stdout.write(f"Rebuilt {what}: {rows:,} rows.")
        mismatches = maintenance.verify()
        if mismatches:
            details = "; ".join(f"{m.what}: {m.rows:,} rows differ" for m in mismatches)
            raise CommandError(f"The finder's derived data is not exact ({details}).")
        self.stdout.write(self.style.SUCCESS("Verified: the finder's derived data is exact."))
