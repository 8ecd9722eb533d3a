"""Balanced, shallow HTML for the sanitizer, in one linear pass.

nh3's HTML parser (html5ever) slows down with the depth of the tree, and an
element left open is re-opened in every later paragraph: 4,000 repetitions
of ``<p><b title=N>x</p>`` in a body (88 KB of raw HTML, which Markdown lets
through) took 47 s and gave 156 MB of HTML. So before sanitizing, the HTML is
tokenized the way a browser would (start and end tags, comments; an
unfinished tag or comment swallows the rest, as in HTML), every element is
closed where its parent closes, and elements nested deeper than
``MAX_DEPTH`` lose their tags but keep their text.

This pass is not a sanitizer: it may let anything through. nh3 runs on its
output and decides what is allowed.
"""

import re

MAX_DEPTH = 40

VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
    "param", "source", "track", "wbr", "basefont", "bgsound", "frame", "keygen",
}  # fmt: skip

# Every "<", with the tag it starts when it starts a complete one: the tag
# states of the HTML tokenizer as one possessive regex, so a tag cut off by
# the end of the text fails without backtracking. Where it reads a tag
# differently from a browser (an unclosed quote), the browser sees fewer
# tags, never more.
LT = re.compile(
    r"<(?:(/?)([A-Za-z][^\t\n\f\r />]*+)"
    r"(?>[\t\n\f\r /]++"
    r"|[^\t\n\f\r />][^\t\n\f\r />=]*+"
    r"(?>[\t\n\f\r ]*+=[\t\n\f\r ]*+(?>\"[^\"]*+\"|'[^']*+'|[^\t\n\f\r >]*+))?+)*+"
    r">)?+"
)


_SPACE = r"[\t\n\f\r ]*+"
# Runs that deep Markdown nesting (">" * 200000) produces by the hundred
# thousand, skipped in one step each: attribute-less start tags once the tree
# is as deep as allowed, and end tags once nothing is open.
START_TAG_RUN = re.compile(
    rf"(?:{_SPACE}<(?!(?i:{'|'.join(sorted(VOID))})>)[A-Za-z][A-Za-z0-9]*+>)++"
)
END_TAG_RUN = re.compile(rf"(?:{_SPACE}</[A-Za-z][^\t\n\f\r />]*+{_SPACE}>)++")


def _skip_markup_declaration(html: str, start: int) -> int:
    """Where text resumes after ``<!…``, ``<?…`` or ``</…`` that is no tag; -1: never."""
    if html.startswith("<!--", start):
        if html.startswith(("<!-->", "<!--->"), start):
            return html.index(">", start) + 1
        end = html.find("-->", start + 4)
        return -1 if end == -1 else end + 3
    end = html.find(">", start + 2)
    return -1 if end == -1 else end + 1


class _Balancer:
    def __init__(self):
        self.out: list[str] = []
        self.stack: list[str] = []

    def start_tag(self, name: str, source: str) -> None:
        if name in VOID:
            self.out.append(source)
        elif len(self.stack) < MAX_DEPTH:
            self.stack.append(name)
            self.out.append(source)

    def end_tag(self, name: str) -> None:
        # A stray end tag is dropped; a matching one closes what it encloses.
        if name not in self.stack:
            return
        while True:
            top = self.stack.pop()
            self.out.append(f"</{top}>")
            if top == name:
                return

    def close_all(self) -> None:
        self.out.extend(f"</{name}>" for name in reversed(self.stack))
        self.stack.clear()


def _other_markup(html: str, start: int, out: list[str]) -> int:
    """Handle a "<" that starts no complete tag; return where text resumes, -1 for never."""
    following = html[start + 1 : start + 2]
    if following.isascii() and following.isalpha():
        return -1  # a tag the text ends inside: dropped, as browsers drop it
    after_slash = html[start + 2 : start + 3]
    if following == "/" and after_slash.isascii() and after_slash.isalpha():
        return -1
    if following in ("!", "?", "/"):
        return _skip_markup_declaration(html, start)
    out.append("&lt;")
    return start + 1


def balance_html(html: str) -> str:
    balancer = _Balancer()
    out = balancer.out
    position = 0
    # search() from where text resumes, never finditer(): a comment is skipped
    # whole, never scanned again for tags.
    while match := LT.search(html, position):
        start = match.start()
        out.append(html[position:start])
        name = match.group(2)
        if name is None:
            position = _other_markup(html, start, out)
            if position == -1:
                break
            continue
        if match.group(1):
            balancer.end_tag(name.lower())
            run = None if balancer.stack else END_TAG_RUN.match(html, match.end())
        else:
            balancer.start_tag(name.lower(), match.group(0))
            full = len(balancer.stack) >= MAX_DEPTH
            run = START_TAG_RUN.match(html, match.end()) if full else None
        position = run.end() if run else match.end()
    else:
        out.append(html[position:])
    balancer.close_all()
    return "".join(out)
