"""Readers are not tracked: anonymous public pages set no cookies (only the CSRF cookie where a
POST form needs it) and load nothing from other origins."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from tests.html_audit import audit, fetched_urls, is_same_origin
from tests.public_site import build_public_site

pytestmark = pytest.mark.django_db

HTML_TYPES = ("text/html",)
EXTERNAL_IN_ASSET = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"]?|["'])(?:https?:)?//""", re.I)


@pytest.fixture
def site():
    return build_public_site()


def has_post_form(html: str) -> bool:
    return any(
        tag == "form" and (attrs.get("method") or "").lower() == "post"
        for tag, attrs in audit(html).tags
    )


@pytest.mark.parametrize("visit", ["first visit", "cached visit"])
def test_every_public_page_sets_no_cookie_except_csrf_for_forms(client, site, visit):
    checked = 0
    for name, url in site.urls().items():
        if visit == "cached visit":
            client.get(url)
        client.cookies.clear()
        response = client.get(url)
        assert response.status_code == (404 if name == "404" else 200), name
        set_cookies = set(response.cookies)
        is_html = response["Content-Type"].startswith(HTML_TYPES)
        if is_html and has_post_form(response.content.decode()):
            assert set_cookies <= {"csrftoken"}, f"{name} set {set_cookies}"
        else:
            assert not set_cookies, f"{name} ({url}) set cookies {set_cookies}"
        checked += 1
    assert checked == len(site.urls())


def test_the_profile_sets_the_csrf_cookie_because_of_its_report_form(client, site):
    response = client.get(site.therapist.get_absolute_url())
    assert has_post_form(response.content.decode())
    assert set(response.cookies) == {"csrftoken"}


def test_every_public_page_loads_nothing_from_other_origins(client, site):
    own_assets = set()
    for name, url in site.urls().items():
        response = client.get(url)
        if not response["Content-Type"].startswith(HTML_TYPES):
            continue
        for tag, fetched in fetched_urls(audit(response.content.decode())):
            assert is_same_origin(fetched), f"{name}: <{tag}> loads {fetched}"
            if fetched.startswith("/static/"):
                own_assets.add(fetched.removeprefix("/static/").split("?")[0])
    assert own_assets, "expected the pages to load the site's own stylesheet"
    # Our own stylesheets and scripts must not pull anything in from elsewhere either.
    for asset in own_assets:
        path = finders.find(asset)
        assert path, f"{asset} is not a static file of this project"
        if not asset.endswith((".css", ".js", ".svg", ".webmanifest", ".json")):
            continue  # images and fonts fetch nothing themselves
        text = Path(path).read_text(encoding="utf-8")
        assert not EXTERNAL_IN_ASSET.search(text), f"{asset} refers to another origin"


def test_outbound_links_do_not_leak_the_page_address(client, site):
    """Links to other sites are fine; the Referrer-Policy keeps the page visited private."""
    response = client.get(site.article.get_absolute_url())
    assert response["Referrer-Policy"] in {"same-origin", "no-referrer", "strict-origin"}
