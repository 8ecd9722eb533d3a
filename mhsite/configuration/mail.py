"""Outgoing email: the console while DEBUG is on, SMTP in production.

SMTP defaults to a local MTA unless EMAIL_HOST names another, so
`check --deploy` passes and reminders are really sent.
"""

import os

from .environment import env_bool, env_int

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def mailers(debug: bool) -> dict:
    default = {
        "BACKEND": os.environ.get(
            "EMAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend" if debug else SMTP_BACKEND,
        ),
    }
    if default["BACKEND"] == SMTP_BACKEND:
        default["OPTIONS"] = {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 25),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            "timeout": env_int("EMAIL_TIMEOUT", 10),
        }
    return {"default": default}
