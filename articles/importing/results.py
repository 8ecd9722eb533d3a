"""What importing each file came to, and the errors a person reads."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError

from ..frontmatter import ArticleDocument


class ImportFileError(ValueError):
    """One file cannot be imported; the message says why, for a person."""


@dataclass
class FileResult:
    path: Path
    slug: str = ""
    action: str = ""  # created | updated | unchanged | skipped
    error: str = ""
    warnings: list[str] = field(default_factory=list)
    document: ArticleDocument | None = None


@dataclass
class ImportReport:
    results: list[FileResult] = field(default_factory=list)

    @property
    def failed(self) -> list[FileResult]:
        return [result for result in self.results if result.error]

    @property
    def imported(self) -> list[FileResult]:
        return [result for result in self.results if not result.error]

    def count(self, action: str) -> int:
        return sum(1 for result in self.results if result.action == action and not result.error)


def find_article_files(paths: Iterable[Path | str]) -> list[Path | tuple[Path, str]]:
    """Markdown files named directly or found (recursively) in the named folders."""
    found: list = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.md") if p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            found.append((path, "no such file or folder"))
    return found


def validation_message(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)


def clean(instance, label: str) -> None:
    """``full_clean``, its errors turned into the file's error message."""
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise ImportFileError(f"{label}: {validation_message(exc)}") from None
