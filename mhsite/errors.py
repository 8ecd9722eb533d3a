"""Error responses that must work while the database is down."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
FALLBACK_HTML = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">'
    "<title>Temporarily unavailable</title></head><body><main>"
    "<h1>We'll be back shortly</h1><p>This page is temporarily unavailable. "
    "Please try again in a minute.</p></main></body></html>"
)


def service_unavailable(request) -> HttpResponse:
    """The friendly 503 page, rendered without the database or request context."""
    try:
        # No request: context processors could touch the database or the session.
        html = render_to_string("503.html")
    except Exception:
        logger.exception("The 503 template failed to render; using the built-in page")
        html = FALLBACK_HTML
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request, template_name="500.html"):
    """handler500: a database outage anywhere in the stack gets the 503 page."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return service_unavailable(request)
    return defaults.server_error(request, template_name=template_name)
