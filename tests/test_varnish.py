"""A real Varnish (vmod xkey) in front of two app servers sharing PostgreSQL and
Redis: an edit through one is purged at once, everywhere, and only there.

Runs in the PostgreSQL pass (the app servers need the test database as a
server); `make test` installs varnish and varnish-modules when missing.
"""

import html.parser
import http.cookiejar
import secrets
import time
import urllib.parse
import urllib.request

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from tests.factories import make_article
from tests.production import Gunicorn, collect_static, production_env
from tests.varnish import Varnish

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


class FormParser(html.parser.HTMLParser):
    """The fields of one form, as a browser would submit them unchanged."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs and tag != "option":
            return
        if tag == "input" and attrs.get("type") not in {"file", "submit", "button"}:
            if attrs.get("type") not in {"checkbox", "radio"} or "checked" in attrs:
                self.fields.append([attrs["name"], attrs.get("value", "")])
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]
            self.fields.append(self._textarea)
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append([self._select, attrs.get("value", "")])

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.inside = False


class Browser:
    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read().decode()

    def submit(self, path: str, form_id: str, changes: dict[str, str]) -> str:
        parser = FormParser(form_id)
        parser.feed(self.get(path))
        fields = [[n, changes.get(n, v)] for n, v in parser.fields]
        fields += [[n, v] for n, v in changes.items() if n not in dict(parser.fields)]
        data = urllib.parse.urlencode([(n, v) for n, v in fields]).encode()
        with self.opener.open(self.base + path, data=data, timeout=30) as response:
            return response.read().decode()


def fetch(port: int, path: str):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
        return response.headers, response.read().decode()


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    collect_static(root)
    return root


def test_edit_through_one_app_server_is_purged_from_varnish_at_once(static_root):
    assert settings.REDIS_URL, "the Varnish test needs REDIS_URL (the PostgreSQL pass sets it)"
    password = secrets.token_urlsafe(16)
    hasher = PBKDF2PasswordHasher()
    get_user_model().objects.create(
        username="editor",
        email="editor@example.com",
        is_staff=True,
        is_superuser=True,
        password=hasher.encode(password, hasher.salt()),
    )
    edited = make_article(title="Sleeping well", slug="sleeping-well")
    unrelated = make_article(title="Breathing slowly", slug="breathing-slowly")

    env = production_env(
        DATABASE_URL=database_url(),
        REDIS_URL=settings.REDIS_URL,
        CACHE_KEY_PREFIX=f"varnish-test-{secrets.token_hex(4)}",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        STATIC_ROOT=str(static_root),
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        PAGE_CACHE_PURGE_BACKEND="varnish",
        # The save returns once the purge is delivered (in production: at most 0.25 s).
        PAGE_CACHE_PURGE_WAIT="10",
    )
    app_a, app_b = Gunicorn(env), Gunicorn(env)
    varnish = Varnish([app_a.port, app_b.port])
    for app in (app_a, app_b):
        app.env["PAGE_CACHE_PURGE_URLS"] = f"http://127.0.0.1:{varnish.port}/"
    with app_a, app_b, varnish:
        for path in (edited.get_absolute_url(), unrelated.get_absolute_url()):
            assert fetch(varnish.port, path)[0]["X-Cache"] == "MISS"
            assert fetch(varnish.port, path)[0]["X-Cache"] == "HIT"
            fetch(app_b.port, path)
            assert fetch(app_b.port, path)[0]["X-Page-Cache"] == "hit"
        time.sleep(1.1)  # so the unrelated page's Age shows it was cached before the edit

        editor = Browser(f"http://127.0.0.1:{app_a.port}")
        editor.submit(
            "/admin/login/?next=/admin/",
            "login-form",
            {"username": "editor", "password": password},
        )
        change = f"/admin/articles/article/{edited.pk}/change/"
        answer = editor.submit(change, "article_form", {"title": "Sleeping well, revised"})
        assert "errornote" not in answer, answer[:2000]
        edited.refresh_from_db()
        assert edited.title == "Sleeping well, revised"

        headers, page = fetch(varnish.port, edited.get_absolute_url())
        assert "Sleeping well, revised" in page
        assert headers["X-Cache"] == "MISS"
        assert "Sleeping well, revised" in fetch(app_b.port, edited.get_absolute_url())[1]
        headers, page = fetch(varnish.port, unrelated.get_absolute_url())
        assert headers["X-Cache"] == "HIT"
        assert int(headers["Age"]) >= 1
        assert "Breathing slowly" in page
