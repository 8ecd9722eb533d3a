"""The project's demo content: each app's demo loader, articles first.

Articles come first because the therapist directory's demo maps specialties to
the demo article categories.
"""

from django.core.management.base import BaseCommand, CommandError

from articles.demo_loader import load_demo_articles
from articles.editorial import ensure_default_pages
from articles.management.commands.import_articles import write_report
from therapists.demo import load_demo_therapists


class Command(BaseCommand):
    help = (
        "Load the demo content: the articles in articles/demo/ (read by the same importer "
        "as import_articles, so they double as examples of the format) and the demo "
        "therapist directory. Safe to run repeatedly: articles that already exist are left "
        "as they are (editors' changes are kept) unless --update is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--update",
            action="store_true",
            help="Overwrite existing demo articles with the content of the demo files.",
        )

    def handle(self, *args, **options):
        report = load_demo_articles(update=options["update"])
        self.stdout.write("Demo articles:")
        write_report(self, report, verbosity=options["verbosity"])
        if report.failed:
            raise CommandError("Some demo articles could not be loaded (see the errors above).")
        if report.count("skipped"):
            self.stdout.write(
                "Existing articles were kept as they are; `loaddemo --update` overwrites "
                "them with the demo files."
            )
        # Installed by a migration; recreated here if someone removed it by hand.
        for title in ensure_default_pages():
            self.stdout.write(f"Created the editorial page “{title}” from its default text.")
        load_demo_therapists(self.stdout)
