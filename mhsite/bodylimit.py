"""Refuse oversized request bodies by their Content-Length, before reading a byte.

Django parses a multipart body when a view (or the CSRF middleware) first
touches ``request.POST``, writing large files to a temporary folder: a 300 MB
anonymous POST to the report form was written to /tmp before the 403 or 429.
This middleware comes first and answers ``413 Payload Too Large`` from the
header alone, per route (``settings.BODY_LIMITS``, first matching pattern
wins, else ``settings.BODY_LIMIT_DEFAULT``): tiny for public forms, the image
limit for uploads. A malformed Content-Length is a 400.

A body sent without Content-Length (chunked) is never read by Django at all:
``request.body`` is empty, so it cannot get past this either.
"""

import re
from functools import lru_cache

from django.conf import settings
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat

BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


@lru_cache(maxsize=4)
def _compiled(limits: tuple[tuple[str, int], ...]) -> tuple[tuple[re.Pattern, int], ...]:
    return tuple((re.compile(pattern), limit) for pattern, limit in limits)


def body_limit(path: str) -> int:
    """The most bytes a request body to ``path`` may have."""
    for pattern, limit in _compiled(tuple(map(tuple, settings.BODY_LIMITS))):
        if pattern.match(path):
            return limit
    return settings.BODY_LIMIT_DEFAULT


def _refuse(status: int, message: str) -> HttpResponse:
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    # The unread body is still on the connection: never reuse it.
    response["Connection"] = "close"
    return response


class BodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        declared = request.META.get("CONTENT_LENGTH", "")
        if declared or request.method in BODY_METHODS:
            declared = declared.strip()
            if declared and not declared.isdigit():
                return _refuse(400, "Bad request: the Content-Length header is not a number.")
            length = int(declared or 0)
            limit = body_limit(request.path_info)
            if length > limit:
                return _refuse(
                    413,
                    f"This request is too large ({filesizeformat(length)}): this address "
                    f"accepts at most {filesizeformat(limit)}. Nothing was saved.",
                )
        return self.get_response(request)
