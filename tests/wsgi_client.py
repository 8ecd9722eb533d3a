"""Requests through the project's WSGI application (the fast hit in front of Django),
the way gunicorn calls it, for tests the Django test client cannot see."""

import io
import sys
from dataclasses import dataclass

from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from mhsite import fasthit


@dataclass
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def __getitem__(self, name: str) -> str:
        values = [value for header, value in self.headers if header.lower() == name.lower()]
        if not values:
            raise KeyError(name)
        return values[-1]

    def __contains__(self, name: str) -> bool:
        return any(header.lower() == name.lower() for header, _ in self.headers)

    def header_dict(self) -> dict[str, str]:
        return {header.lower(): value for header, value in self.headers}


class CountingDjango:
    """Django's WSGI handler, counting the requests that reach it."""

    def __init__(self):
        self.handler = WSGIHandler()
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.handler(environ, start_response)


def environ_for(
    path: str,
    method: str = "GET",
    *,
    host: str = "testserver",
    scheme: str = "http",
    remote_addr: str = "127.0.0.1",
    headers: dict[str, str] | None = None,
) -> dict:
    path_info, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path_info,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "443" if scheme == "https" else "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": remote_addr,
        "HTTP_HOST": host,
        "wsgi.url_scheme": scheme,
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for name, value in (headers or {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ


def call(application, environ: dict) -> Answer:
    """One request, as a WSGI server makes it (the response closed after reading)."""
    started = {}

    def start_response(status, headers, exc_info=None):
        started.update(status=int(status.split()[0]), headers=list(headers))

    # As Django's test client does: the test's transaction must outlive the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        chunks = application(environ, start_response)
        body = b"".join(chunks)
        if hasattr(chunks, "close"):
            chunks.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return Answer(started["status"], started["headers"], body)


def new_application() -> tuple[fasthit.FastHitApplication, CountingDjango]:
    """A fresh application (middleware built with the test's settings) and its Django."""
    fasthit.forget_all()
    django = CountingDjango()
    return fasthit.FastHitApplication(django), django
