"""Security headers and CSP on every public page, in the admin, and in production mode."""

import pytest

from tests.html_audit import audit, unsafe_constructs
from tests.public_site import build_public_site

pytestmark = pytest.mark.django_db

HTML_PAGES = ["home", "index", "category", "article", "finder", "finder filtered", "profile", "404"]


@pytest.fixture
def site():
    return build_public_site()


def csp_directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize("page", HTML_PAGES)
def test_public_page_has_strict_csp_and_no_inline_script(client, site, page):
    response = client.get(site.urls()[page])
    assert response.status_code == (404 if page == "404" else 200)
    directives = csp_directives(response)
    assert directives["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert "'unsafe-inline'" not in directives["style-src"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert unsafe_constructs(audit(response.content.decode())) == []


def test_json_ld_blocks_carry_the_nonce_of_the_csp_header(client, site):
    response = client.get(site.article.get_absolute_url())
    page = audit(response.content.decode())
    ld_blocks = [s for s in page.scripts if s.attrs.get("type") == "application/ld+json"]
    assert ld_blocks
    nonce_source = next(v for v in csp_directives(response)["script-src"] if "nonce-" in v)
    for block in ld_blocks:
        assert f"'nonce-{block.attrs['nonce']}'" == nonce_source


@pytest.mark.parametrize("page", HTML_PAGES)
def test_public_page_sends_the_security_headers(client, site, page):
    response = client.get(site.urls()[page])
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "payment=()", "browsing-topics=()"):
        assert feature in policy
    assert "geolocation=(self)" in policy


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/articles/article/",
        "/admin/articles/article/add/",
        "/admin/therapists/therapist/",
        "/admin/therapists/therapist/add/",
    ],
)
def test_admin_pages_work_under_the_same_csp(staff_client, site, url):
    """The admin renders no inline script, handler or style, so the strict policy holds."""
    response = staff_client.get(url)
    assert response.status_code == 200
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert admin_problems(response) == []


def test_admin_change_page_works_under_the_csp(staff_client, site):
    response = staff_client.get(f"/admin/articles/article/{site.article.pk}/change/")
    assert response.status_code == 200
    assert admin_problems(response) == []


def admin_problems(response) -> list[str]:
    # The admin's own icons are inline SVG, and it loads its translations from /admin/jsi18n/.
    return unsafe_constructs(
        audit(response.content.decode()),
        own_script_srcs=("/static/", "/admin/jsi18n/"),
        allow_svg=True,
    )


def test_production_sends_hsts_and_security_headers(production_app_without_database):
    status, headers, body, _ = production_app_without_database.get("/healthz")
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert "geolocation=(self)" in headers["Permissions-Policy"]
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]


def test_production_redirects_plain_http_to_https(production_app_without_database):
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(
        f"http://127.0.0.1:{production_app_without_database.port}/articles/",
        headers={"Host": "example.com"},
    )
    try:
        opener.open(request, timeout=5)
        raise AssertionError("plain HTTP was served")
    except urllib.error.HTTPError as response:
        assert response.code == 301
        assert response.headers["Location"] == "https://example.com/articles/"


def test_production_cookies_are_secure_and_httponly(production_app_without_database):
    # The admin login form needs no database to render, and sets the CSRF cookie.
    status, headers, body, _ = production_app_without_database.get("/admin/login/")
    assert status == 200
    cookie = headers["Set-Cookie"]
    assert cookie.startswith("csrftoken=")
    attributes = {part.strip().lower() for part in cookie.split(";")}
    assert "secure" in attributes
    assert "httponly" in attributes
    assert "samesite=lax" in attributes
