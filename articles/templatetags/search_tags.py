import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

HIGHLIGHT_RE = re.compile("\x02(.*?)\x03", re.DOTALL)
MARKER_RE = re.compile("[\x02\x03]")


@register.filter
def highlighted(snippet: str | None) -> str:
    """A search snippet as HTML: the text escaped, the matched words in <mark>.

    The engines mark matches with the control characters STX/ETX, never with
    HTML, so nothing from an article can reach the page unescaped.
    """
    text = escape(snippet or "")
    text = HIGHLIGHT_RE.sub(lambda match: f"<mark>{match.group(1)}</mark>", text)
    return mark_safe(MARKER_RE.sub("", text))  # noqa: S308 - escaped above
