"""The way back from a profile to the reader's results.

A result links to its profile with ``?from=<the search's query string>``; the
profile's "Back to results" rebuilds the finder URL from it. Only the finder's
own parameters survive, re-encoded, so a crafted ``from`` can add nothing to
the link but a search.
"""

from django.http import QueryDict
from django.urls import reverse

from .codes import VOCABULARY_GROUPS

MAX_FROM_LENGTH = 2000
FINDER_PARAMETERS = frozenset(
    {
        *("q", "as_text", "location", "lat", "lng", "radius", "include_online", "format"),
        *("accepting", "sliding_scale", "max_fee", "gender", "sort", "page"),
        *(group.key for group in VOCABULARY_GROUPS),
    }
)


def from_results_query(query: QueryDict, page: int) -> str:
    """The ``from`` parameter a result links with ("" for the unfiltered first page)."""
    current = query.copy()
    if page > 1:
        current["page"] = str(page)
    encoded = current.urlencode()
    if not encoded:
        return ""
    wrapper = QueryDict(mutable=True)
    wrapper["from"] = encoded
    return wrapper.urlencode()


def back_to_results_url(raw: str) -> str:
    """The finder URL a profile's "Back to results" goes to: the search in ``raw``, cleaned."""
    finder = reverse("therapists:finder")
    if not raw or len(raw) > MAX_FROM_LENGTH:
        return finder
    kept = QueryDict(mutable=True)
    for key, values in QueryDict(raw).lists():
        if key in FINDER_PARAMETERS:
            kept.setlist(key, [value[:200] for value in values[:30]])
    encoded = kept.urlencode()
    return f"{finder}?{encoded}" if encoded else finder
