from pathlib import Path

from django.core.management.base import BaseCommand

from articles.exporting import ArticleExporter


class Command(BaseCommand):
    help = (
        "Export every article (all statuses) to DIR as <slug>.md files in the import "
        "format, with images copied to DIR/images/. `import_articles DIR` reads them back."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="Folder to write (created if missing)")

    def handle(self, *args, **options):
        report = ArticleExporter(options["directory"]).export()
        for warning in report.warnings:
            self.stderr.write(f"Warning: {warning}", self.style.WARNING)
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported {len(report.files)} article(s) and {len(report.images)} image(s) "
                f"to {options['directory']}."
            )
        )
