"""The Markdown side of an article file: the FAQs section, fenced code and image links."""

import re
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

from .document import FAQEntry, FormatError

FAQ_HEADINGS = frozenset({"faqs", "frequently asked questions"})
FAQ_HEADING = "## FAQs"

_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")

# Inline Markdown images: ![alt](url "optional title").
MARKDOWN_IMAGE = re.compile(
    r"!\[(?P<alt>[^\]]*)\]\(\s*(?P<url><[^>\n]*>|[^)\s]+)(?P<title>(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*)\)"
)


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_faqs(markdown: str, *, first_line: int = 1) -> tuple[str, list[FAQEntry]]:
    """Split a Markdown document into the article body and its FAQs."""
    lines = normalize_newlines(markdown).split("\n")
    headings = list(_headings(lines))
    start = next(
        (
            index
            for index, level, text in headings
            if level == 2 and " ".join(text.split()).lower() in FAQ_HEADINGS
        ),
        None,
    )
    if start is None:
        return markdown.strip(), []
    faqs: list[FAQEntry] = []
    question_starts = []
    for index, level, text in headings:
        if index <= start:
            continue
        if level <= 2:
            raise FormatError(
                f"line {first_line + index}: heading {lines[index].strip()!r} comes after the "
                "FAQs section, where only ### questions may follow; move it above the FAQs"
            )
        if level == 3:
            if not text:
                raise FormatError(f"line {first_line + index}: a ### FAQ question is empty")
            question_starts.append((index, text))
    intro = "\n".join(lines[start + 1 : question_starts[0][0] if question_starts else None])
    if intro.strip():
        raise FormatError(
            f"line {first_line + start}: text between the FAQs heading and its first "
            "### question would be lost; make it a question or move it above the FAQs"
        )
    for position, (index, question) in enumerate(question_starts):
        end = question_starts[position + 1][0] if position + 1 < len(question_starts) else None
        answer = "\n".join(lines[index + 1 : end]).strip()
        if not answer:
            raise FormatError(
                f"line {first_line + index}: the FAQ question {question!r} has no answer"
            )
        faqs.append(FAQEntry(question=question, answer=answer))
    return "\n".join(lines[:start]).strip(), faqs


def _lines_outside_code(lines: list[str]) -> Iterator[tuple[int, str]]:
    """(index, line) of each line that is neither inside fenced code nor one of its fences."""
    fence = None
    for index, line in enumerate(lines):
        fence_match = _FENCE.match(line)
        if fence:
            if (
                fence_match
                and fence_match.group(1)[0] == fence[0]
                and len(fence_match.group(1)) >= len(fence)
            ):
                fence = None
            continue
        if fence_match:
            fence = fence_match.group(1)
            continue
        yield index, line


def _headings(lines: list[str]):
    """(line index, level, text) of each ATX heading outside fenced code."""
    for index, line in _lines_outside_code(lines):
        heading = _ATX_HEADING.match(line)
        if heading:
            yield index, len(heading.group(1)), (heading.group(2) or "").strip()


def outside_code_blocks(markdown: str, transform: Callable[[str], str]) -> str:
    """Apply ``transform`` to every line that is not inside fenced code."""
    lines = markdown.split("\n")
    for index, line in _lines_outside_code(lines):
        lines[index] = transform(line)
    return "\n".join(lines)


def is_local_path(url: str) -> bool:
    """True for a path relative to the Markdown file (not a URL, not site-absolute)."""
    parts = urlsplit(url)
    return not (parts.scheme or parts.netloc or url.startswith(("/", "#", "\\")))
