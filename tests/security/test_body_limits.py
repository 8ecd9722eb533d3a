"""Finding 6: oversized bodies are refused by Content-Length before they are read.

Replays the attack: a 300 MB anonymous POST to the report form and to
/markdownx/upload/ was written to /tmp before the 403/429. Here the request
goes through the whole WSGI application with a ``wsgi.input`` that fails the
test if anything reads it.
"""

import io

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client

from tests.therapist_factories import make_therapist

pytestmark = pytest.mark.django_db

HUGE = 300 * 1024 * 1024
CSRF_COOKIE = "a" * 32


class UnreadableInput(io.RawIOBase):
    """A request body that must never be read."""

    def __init__(self):
        self.touched = False

    def read(self, *args):
        self.touched = True
        raise AssertionError("the request body was read")

    readline = readinto = read


def post(path: str, content_length: str, content_type="multipart/form-data; boundary=x"):
    body = UnreadableInput()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.9",
        # An attacker first GETs a page for a CSRF cookie; with one, the CSRF
        # check reads the body to find the token.
        "HTTP_COOKIE": f"{settings.CSRF_COOKIE_NAME}={CSRF_COOKIE}",
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": content_length,
        "wsgi.input": body,
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    captured = {}

    def start_response(status, headers, exc_info=None):
        captured["status"] = int(status.split()[0])
        captured["headers"] = dict(headers)

    content = b"".join(WSGIHandler()(environ, start_response))
    return captured["status"], captured["headers"], content.decode(), body.touched


@pytest.mark.parametrize(
    "path",
    [
        "/therapists/some-listing/report/",
        "/markdownx/upload/",
        "/markdownx/markdownify/",
        "/admin/login/",
        "/admin/articles/article/add/",
        "/articles/",
    ],
)
def test_a_300_mb_post_is_refused_unread(path):
    status, headers, content, touched = post(path, str(HUGE))
    assert status == 413
    assert not touched
    assert "too large" in content and "at most" in content
    assert headers["Connection"] == "close"


def test_public_forms_get_a_tiny_limit_uploads_the_image_limit():
    report = "/therapists/some-listing/report/"
    assert post(report, str(settings.BODY_LIMIT_PUBLIC_FORM + 1))[0] == 413
    upload_limit = settings.IMAGE_UPLOAD_MAX_BYTES + 64 * 1024
    assert post("/markdownx/upload/", str(upload_limit + 1))[0] == 413
    # Admin login is a public form too, however generous the rest of /admin/ is.
    assert post("/admin/login/", str(settings.BODY_LIMIT_PUBLIC_FORM + 1))[0] == 413


def test_a_malformed_content_length_is_a_400_and_unread():
    for value in ("-5", "12abc", "1e9"):
        status, _headers, content, touched = post("/therapists/x/report/", value)
        assert status == 400 and not touched
        assert "Content-Length" in content


def test_bodies_within_the_limit_still_work(client: Client, settings):
    settings.THERAPIST_REPORT_RATE_LIMIT = 5
    therapist = make_therapist()
    response = client.post(
        f"/therapists/{therapist.slug}/report/", {"problem": "fees", "details": "x" * 2000}
    )
    assert response.status_code == 302
    assert therapist.reports.count() == 1


def test_django_own_limits_are_set():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2_621_440
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == settings.IMAGE_UPLOAD_MAX_BYTES
