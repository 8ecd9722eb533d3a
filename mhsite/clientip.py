"""Who is on the other end: the client's address and scheme behind trusted proxies.

Behind a load balancer every request arrives from the balancer's address, so
limits keyed on ``REMOTE_ADDR`` lump all readers together. ``X-Forwarded-For``
names the real client, but anyone can send that header. The rule:

* Forwarded headers are believed only when the immediate peer (``REMOTE_ADDR``)
  is in ``settings.TRUSTED_PROXIES`` (CIDRs).
* The client is then the rightmost ``X-Forwarded-For`` hop that is not itself
  a trusted proxy: each proxy appends the address it saw, so entries to the
  left of that hop are whatever the client chose to send.
* From any other peer the ``X-Forwarded-*`` headers are removed before Django
  or anything else reads them, so ``X-Forwarded-Proto: https`` from a client
  cannot make a plain-HTTP request look secure.

``client_ip`` is the one function for every limit that keys on a client: the
report form's rate limit and django-axes (``AXES_CLIENT_IP_CALLABLE``).
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_FORWARDED",
)


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return tuple(ipaddress.ip_network(cidr.strip(), strict=False) for cidr in proxies)


def parse_address(value: str) -> IPAddress | None:
    """An address from a header or REMOTE_ADDR (brackets, ports, IPv4-mapped IPv6 allowed)."""
    value = value.strip().strip('"')
    if value.startswith("["):  # [2001:db8::1]:443
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:  # 192.0.2.1:443
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def is_trusted_proxy(address: IPAddress | None) -> bool:
    if address is None:
        return False
    return any(address in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or the rightmost untrusted forwarded hop.

    None when REMOTE_ADDR is not an address (a request built in code, a Unix
    socket): django-axes stores the value in an ``inet`` column.
    """
    if hasattr(request, "_client_ip"):
        return request._client_ip
    address = parse_address(request.META.get("REMOTE_ADDR", ""))
    result = str(address) if address else None
    if is_trusted_proxy(address):
        hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        for hop in reversed([hop for hop in hops if hop.strip()]):
            hop_address = parse_address(hop)
            if hop_address is None:
                break  # garbage: nothing left of it can be trusted either
            result = str(hop_address)
            if not is_trusted_proxy(hop_address):
                break
    request._client_ip = result
    return result


class TrustedProxyMiddleware:
    """Drop forwarded headers from untrusted peers; first, before SecurityMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_trusted_proxy(parse_address(request.META.get("REMOTE_ADDR", ""))):
            for header in FORWARDED_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)
