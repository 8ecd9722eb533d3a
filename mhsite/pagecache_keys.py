"""The page cache's key for a request: its address with the declared parameters only.

The key holds only the query parameters the page's view reads (declared with
``cachetags.register_page``), normalised and sorted, and the calendar date, so
a page that changes with the date (a review falls due) is never served the
next day.
"""

import hashlib

from django.http import QueryDict
from django.utils import timezone

from . import cachetags

# Longest accepted value of a declared parameter; longer ones are not cached.
MAX_PARAM_LENGTH = 200


def normalised_query(request) -> tuple[str, bool]:
    """The declared parameters the request carries, sorted; and whether it is cacheable."""
    match = request.resolver_match
    page = cachetags.registry.pages.get(match.view_name)
    known = page.known_params() if page else frozenset()
    pairs = sorted(
        (name, value)
        for name, values in request.GET.lists()
        if name in known
        for value in values
        if value.strip()
    )
    cacheable = all(len(value) <= MAX_PARAM_LENGTH for _name, value in pairs)
    if page and page.names_unknown and set(request.GET) - known:
        return request.GET.urlencode(), False
    if page and any(request.GET.get(name, "").strip() for name in page.uncached_params):
        kept = {name: request.GET.getlist(name) for name in known | page.uncached_params}
        query = QueryDict(mutable=True)
        for name, values in sorted(kept.items()):
            query.setlist(name, values)
        return query.urlencode(), False
    query = QueryDict(mutable=True)
    for name, value in pairs:
        query.appendlist(name, value)
    return query.urlencode(), cacheable


def use_query(request, query: str) -> None:
    # The view sees only what the key holds, so the page is the same for every
    # request that shares the key.
    request.GET = QueryDict(query)
    request.META["QUERY_STRING"] = query


def page_key(request, query: str) -> str:
    address = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"pagecache:page:{timezone.localdate().isoformat()}:{digest}"
