from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.importing import ArticleImporter, ImportReport


class Command(BaseCommand):
    help = (
        "Import articles from Markdown files with YAML front matter (the format is "
        "described in articles/frontmatter/__init__.py). Each file is imported in its own "
        "transaction and matched by slug, so re-importing updates. A file with an error "
        "changes nothing and is reported; the exit status is non-zero if any file failed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", type=Path, help="Markdown files, or folders to search for *.md"
        )

    def handle(self, *args, **options):
        report = ArticleImporter().import_paths(options["paths"])
        write_report(self, report, verbosity=options["verbosity"])
        if report.failed:
            raise CommandError(
                f"{len(report.failed)} of {len(report.results)} file(s) could not be imported; "
                "nothing was changed for those files (see the errors above)."
            )


def display_path(path: Path) -> Path:
    """The path relative to the current folder when it is inside it, for shorter lines."""
    try:
        return path.absolute().relative_to(Path.cwd())
    except ValueError:
        return path


def write_report(command: BaseCommand, report: ImportReport, *, verbosity: int = 1) -> None:
    """Print one line per file, its warnings, and a summary (shared with loaddemo)."""
    for result in report.results:
        path = display_path(result.path)
        if result.error:
            command.stderr.write(f"Error: {path}: {result.error}")
            continue
        if verbosity >= 1:
            command.stdout.write(f"{result.action:<9} {result.slug}  ({path})")
        for warning in result.warnings:
            command.stderr.write(f"Warning: {path}: {warning}", command.style.WARNING)
    summary = ", ".join(
        f"{report.count(action)} {action}"
        for action in ("created", "updated", "unchanged", "skipped")
        if report.count(action)
    )
    line = f"{len(report.imported)} file(s) imported ({summary or 'none'}); "
    line += f"{len(report.failed)} failed."
    command.stdout.write(line, command.style.ERROR if report.failed else command.style.SUCCESS)
