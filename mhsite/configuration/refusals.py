"""Settings a production process (DEBUG off) refuses to start without.

A deploy that forgot them would otherwise run insecurely by accident: with a
secret key anyone can read in the repository, or answering any Host header.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .environment import env_list

DEV_SECRET_KEY = "django-insecure-local-development-only-never-use-in-production"  # noqa: S105


def secret_key(debug: bool) -> str:
    """SECRET_KEY from the environment; the development key only while DEBUG is on."""
    value = os.environ.get("SECRET_KEY", "")
    if not value:
        if not debug:
            raise ImproperlyConfigured(
                "SECRET_KEY is not set. With DEBUG off mhsite refuses to start without "
                "a secret key: set the SECRET_KEY environment variable to a long random "
                "string (for example the output of "
                "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
            )
        return DEV_SECRET_KEY
    if not debug and value == DEV_SECRET_KEY:
        raise ImproperlyConfigured("The development SECRET_KEY cannot be used with DEBUG off.")
    return value


def allowed_hosts(debug: bool) -> list[str]:
    """ALLOWED_HOSTS from the environment; local names by default only while DEBUG is on."""
    hosts = env_list(
        "ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"] if debug else []
    )
    if not debug and not hosts:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS is empty. With DEBUG off set ALLOWED_HOSTS to a comma-separated "
            "list of the host names this site answers to."
        )
    return hosts
