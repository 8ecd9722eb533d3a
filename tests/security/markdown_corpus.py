"""Pathological Markdown: inputs that make naive parsers slow, each at the size limit.

Markdown lets raw HTML through to the sanitizer, so raw HTML that is slow
to parse into a tree is part of the corpus too. Each entry is built from a
short pattern repeated up to the length it is given, so the tests,
bench/markdown_corpus.py and any future renderer all measure the same texts.
Findings replayed: issue 9 finding 1 ("[" * 8000 took ~11 s in
Python-Markdown; 50k headings and 20k abbreviations hit the timeout).
"""


def _fill(pattern: str, length: int, head: str = "") -> str:
    body_length = length - len(head)
    repeats = body_length // len(pattern) + 1
    return head + (pattern * repeats)[:body_length]


def _table(length: int) -> str:
    head = "| Symptom | How often | Notes |\n|:--|--:|:-:|\n"
    return _fill("| Worry | Daily | *some* `code` |\n", length, head)


def _footnotes(length: int) -> str:
    count = length // 20
    refs = "".join(f"x[^{n}] " for n in range(count))
    notes = "".join(f"\n[^{n}]: Note {n}." for n in range(count))
    return (refs + "\n" + notes)[:length]


def _link_references(length: int) -> str:
    count = length // 20
    refs = "".join(f"[a{n}] " for n in range(count))
    definitions = "".join(f"\n[a{n}]: /articles/{n}/" for n in range(count))
    return (refs + "\n" + definitions)[:length]


def _abbreviations(length: int) -> str:
    count = length // 30
    definitions = "".join(f"*[AB{n}]: Abbreviation {n}\n" for n in range(count))
    text = " ".join(f"AB{n}" for n in range(count))
    return (text + "\n\n" + definitions)[:length]


def _nested_lists(length: int) -> str:
    lines = []
    total = 0
    depth = 0
    while total < length:
        line = "    " * (depth % 200) + "- item\n"
        lines.append(line)
        total += len(line)
        depth += 1
    return "".join(lines)[:length]


def _raw_html(length: int) -> dict[str, str]:
    """Raw HTML (Markdown lets it through to the sanitizer) that is slow to parse as a tree."""
    reopened = "".join(f"<p><b title={n}>x</p>" for n in range(length // 14))
    fonts = "".join(f"<font color={n}><table><td>x" for n in range(length // 24))
    return {
        "html_deep_divs": _fill("<div>", length),
        "html_deep_lists": _fill("<ul><li>", length),
        "html_deep_tables": _fill("<table><tr><td>", length),
        "html_reopened_formatting": reopened[:length],
        "html_formatting_in_tables": fonts[:length],
        "html_misnested": _fill("<b><i><p></b></i>", length),
        "html_nested_links": _fill("<a href=#>", length),
        "html_quoted_angle_brackets": _fill('<div title="<">', length),
        "html_unclosed_quote": _fill("<b>", length, head='<a title="'),
        "html_bogus_comments": _fill("<!x", length),
    }


def corpus(length: int) -> dict[str, str]:
    """Name → pathological text of ``length`` characters."""
    return {
        "open_brackets": "[" * length,
        "open_link_targets": _fill("[a](", length),
        "nested_brackets": "[" * (length // 2) + "]" * (length - length // 2),
        "image_brackets": _fill("![", length),
        "emphasis_stars": "*" * length,
        "emphasis_runs": _fill("*a **b _c __d ", length),
        "unclosed_emphasis": _fill("**a _b *c ", length),
        "backticks": _fill("`a``", length),
        "deep_blockquote": ">" * length,
        "deep_blockquote_lines": _fill("> > > > > > > > > > text\n", length),
        "list_markers": _fill("- ", length),
        "deep_nested_lists": _nested_lists(length),
        "many_headings": _fill("## h\n", length),
        "many_distinct_headings": "".join(f"## Heading {n}\n" for n in range(length // 12))[
            :length
        ],
        "setext_headings": _fill("a\n=\n", length),
        "abbreviations": _abbreviations(length),
        "footnotes": _footnotes(length),
        "link_references": _link_references(length),
        "long_table": _table(length),
        "wide_table": ("|" + "a|" * (length // 4) + "\n|" + "-|" * (length // 4))[:length],
        "definition_lists": _fill("Term\n: Definition\n", length),
        "entity_flood": _fill("&amp;&#x41;&#65;&nbsp;", length),
        "html_tags": _fill("<a <b ", length),
        "unclosed_comments": _fill("<!--", length),
        "autolinks": _fill("<http://example.com/", length),
        "line_breaks": _fill("a  \n", length),
        "escapes": _fill("\\*\\[", length),
        **_raw_html(length),
    }
