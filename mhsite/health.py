"""``/healthz`` for load balancers and uptime checks."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .errors import DATABASE_ERRORS, RETRY_AFTER_SECONDS


@never_cache
@require_safe
def healthz(request):
    """200 when the database answers ``SELECT 1``, 503 when it does not. Sets no cookies."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DATABASE_ERRORS:
        response = JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return JsonResponse({"status": "ok", "database": "ok"})
