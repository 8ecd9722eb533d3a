from django.core.management.base import BaseCommand
from django.db import transaction

from articles.search.indexing import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the article search documents, vocabulary and index (after bulk SQL changes)."

    def handle(self, *args, **options):
        with transaction.atomic():
            count = rebuild_index()
        self.stdout.write(f"Indexed {count} article(s).")
