"""The Content-Security-Policy and Permissions-Policy every response carries."""

from django.utils.csp import CSP


def content_security_policy(image_hosts: list[str]) -> dict:
    """Same-origin only, no inline script; nonces for templates that need one.

    Images may also come from ``image_hosts`` (https only): object storage and
    the hosts Markdown images are allowed from.
    """
    return {
        "default-src": [CSP.SELF],
        "script-src": [CSP.SELF, CSP.NONCE],
        "style-src": [CSP.SELF],
        "img-src": [CSP.SELF, "data:", *(f"https://{host}" for host in image_hosts)],
        "font-src": [CSP.SELF],
        "connect-src": [CSP.SELF],
        "object-src": [CSP.NONE],
        "base-uri": [CSP.SELF],
        "form-action": [CSP.SELF],
        "frame-ancestors": [CSP.NONE],
    }


def permissions_policy() -> dict:
    """Browser features the site never uses are switched off.

    The finder may ask for the reader's location, on our own origin only.
    """
    return {
        "accelerometer": [],
        "browsing-topics": [],
        "camera": [],
        "display-capture": [],
        "geolocation": ["self"],
        "gyroscope": [],
        "magnetometer": [],
        "microphone": [],
        "payment": [],
        "usb": [],
    }
