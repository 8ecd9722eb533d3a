"""Finding 4: client identity behind a proxy.

Replays each attack: behind the proxy every reader shared one address, so
20 reports from anyone rate-limited everyone, five wrong passwords for
``victim`` locked ``victim`` out for everyone, and 40 failures spread over 10
usernames were never throttled. Forwarded headers from clients that are not a
trusted proxy are ignored, X-Forwarded-Proto included.
"""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from mhsite.clientip import client_ip
from tests.factories import make_staff_user
from tests.therapist_factories import make_therapist
from therapists.models import OutdatedInfoReport

PROXY = "10.0.0.2"
LOGIN_URL = "/admin/login/?next=/admin/"
PASSWORD = "pw-for-tests-only"


@pytest.fixture(autouse=True)
def _behind_a_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "2001:db8:ffff::/48"]


def ip_of(remote: str, forwarded: str | None = None) -> str:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        # Straight from a client: its own address, whatever it claims.
        ("203.0.113.9", "198.51.100.1", "203.0.113.9"),
        # Through the proxy: the hop the proxy appended.
        (PROXY, "198.51.100.1", "198.51.100.1"),
        # A client-chosen entry left of the real one changes nothing.
        (PROXY, "1.2.3.4, 198.51.100.1", "198.51.100.1"),
        # Two proxies of ours: the rightmost address that is not ours.
        (PROXY, "198.51.100.1, 10.0.0.7", "198.51.100.1"),
        (PROXY, "198.51.100.1,10.0.0.7, 10.0.0.8", "198.51.100.1"),
        # Ports, brackets, IPv6 and IPv4-mapped addresses.
        (PROXY, "198.51.100.1:5555", "198.51.100.1"),
        (PROXY, "[2001:db8::7]:443", "2001:db8::7"),
        ("::ffff:10.0.0.2", "198.51.100.1", "198.51.100.1"),
        ("2001:db8:ffff::1", "2001:db8::7", "2001:db8::7"),
        # Garbage the proxy passed on: stop at the last hop we can vouch for.
        (PROXY, "not-an-ip", PROXY),
        (PROXY, "", PROXY),
        (PROXY, None, PROXY),
        # No usable peer address at all (a request built in code, a Unix socket).
        ("", "198.51.100.1", None),
        ("unix:/run/gunicorn.sock", None, None),
    ],
)
def test_client_address_is_the_rightmost_untrusted_hop(remote, forwarded, expected):
    assert ip_of(remote, forwarded) == expected


# The report form ---------------------------------------------------------------


def report(client: Client, url: str, remote: str, forwarded: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return client.post(url, {"problem": "fees"}, REMOTE_ADDR=remote, **extra)


@pytest.mark.django_db
def test_readers_behind_the_proxy_do_not_share_one_report_limit(settings):
    settings.THERAPIST_REPORT_RATE_LIMIT = 2
    settings.THERAPIST_REPORT_RATE_LIMIT_PER_IP = 2
    url = reverse("therapists:report", args=[make_therapist().slug])
    # One noisy reader reaches the limit...
    statuses = [report(Client(), url, PROXY, "198.51.100.66").status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    # ...and the next readers through the same proxy are not affected.
    for n in range(1, 6):
        assert report(Client(), url, PROXY, f"198.51.100.{n}").status_code == 302
    assert OutdatedInfoReport.objects.count() == 7


@pytest.mark.django_db
def test_a_spammer_cannot_pick_a_fresh_address_per_report(settings):
    settings.THERAPIST_REPORT_RATE_LIMIT = 2
    url = reverse("therapists:report", args=[make_therapist().slug])
    # Direct, not through the proxy: the header is ignored.
    direct = [report(Client(), url, "203.0.113.9", f"192.0.2.{n}").status_code for n in range(3)]
    assert direct == [302, 302, 429]
    # Through the proxy, with a made-up address left of the real one.
    proxied = [
        report(Client(), url, PROXY, f"192.0.2.{n}, 198.51.100.77").status_code for n in range(3)
    ]
    assert proxied == [302, 302, 429]


# Admin login lockouts ------------------------------------------------------------


def login(username: str, password: str, client_address: str, client: Client | None = None):
    return (client or Client()).post(
        LOGIN_URL,
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=client_address,
    )


@pytest.mark.django_db
def test_wrong_passwords_for_victim_do_not_lock_victim_out_everywhere(settings):
    make_staff_user("victim")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login("victim", "wrong", "198.51.100.66")
    assert login("victim", PASSWORD, "198.51.100.66").status_code == 429
    # The same username from the victim's own address still signs in.
    response = login("victim", PASSWORD, "192.0.2.10")
    assert response.status_code == 302 and response["Location"] == "/admin/"


@pytest.mark.django_db
def test_password_spraying_from_one_address_is_capped(settings):
    make_staff_user("editor")
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    assert limit < 40
    statuses = []
    # 40 failures spread over 10 usernames, 4 each: no pair reaches its limit.
    for attempt in range(40):
        statuses.append(login(f"user{attempt % 10}", "wrong", "198.51.100.66").status_code)
    assert statuses[: limit - 1] == [200] * (limit - 1)
    assert set(statuses[limit:]) == {429}
    # Even a correct password is refused from that address now...
    assert login("editor", PASSWORD, "198.51.100.66").status_code == 429
    # ...while the account itself is not locked for anyone else.
    assert login("editor", PASSWORD, "192.0.2.10").status_code == 302


@pytest.mark.django_db
def test_signing_in_does_not_wipe_the_spraying_count_of_the_address(settings):
    make_staff_user("insider")
    for attempt in range(settings.AXES_ADDRESS_FAILURE_LIMIT - 1):
        login(f"user{attempt % 10}", "wrong", "198.51.100.66")
    assert login("insider", PASSWORD, "198.51.100.66").status_code == 302
    assert login("user1", "wrong", "198.51.100.66").status_code == 429


# Scheme ------------------------------------------------------------------------


@pytest.mark.django_db
def test_x_forwarded_proto_is_believed_only_from_a_trusted_proxy(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    client = Client()
    spoofed = client.get("/articles/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_PROTO="https")
    assert spoofed.status_code == 301
    assert spoofed["Location"].startswith("https://")
    proxied = client.get("/articles/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https")
    assert proxied.status_code == 200


def test_gunicorn_binds_loopback_and_trusts_the_same_proxies_by_default(monkeypatch):
    import runpy

    from tests.production import BASE_DIR

    for name in ("HOST", "FORWARDED_ALLOW_IPS", "TRUSTED_PROXIES"):
        monkeypatch.delenv(name, raising=False)
    config = runpy.run_path(str(BASE_DIR / "mhsite" / "gunicorn.conf.py"))
    assert config["bind"].startswith("127.0.0.1:")
    assert config["forwarded_allow_ips"] == "127.0.0.1,::1"
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.0/24")
    config = runpy.run_path(str(BASE_DIR / "mhsite" / "gunicorn.conf.py"))
    assert config["forwarded_allow_ips"] == "10.0.0.0/24"
