from django.conf import settings
from django.core.management.base import BaseCommand

from articles.search.zero_results import purge_old


class Command(BaseCommand):
    help = (
        "Delete zero-result search counts older than SEARCH_ZERO_RESULT_RETENTION_DAYS "
        "(90 by default). Run daily from cron."
    )

    def handle(self, *args, **options):
        deleted = purge_old()
        days = settings.SEARCH_ZERO_RESULT_RETENTION_DAYS
        self.stdout.write(f"Deleted {deleted} zero-result search row(s) older than {days} days.")
