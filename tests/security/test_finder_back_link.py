"""The profile's "Back to results" link is built from a reader-controlled ``from``
parameter: it must stay a link to the finder with finder parameters only."""

import pytest

from tests.therapist_factories import make_therapist
from therapists.finder.returning import back_to_results_url

ESCAPED_SCRIPT = "%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("//evil.example.com/", "/therapists/"),
        ("https://evil.example.com/?q=x", "/therapists/"),
        ("q=x&next=https://evil.example.com", "/therapists/?q=x"),
        (
            'q="><script>alert(1)</script>',
            "/therapists/?q=%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E",
        ),
        ("q=" + "a" * 3000, "/therapists/"),  # too long: dropped, not cut mid-parameter
        ("specialty=anxiety&specialty=trauma", "/therapists/?specialty=anxiety&specialty=trauma"),
    ],
)
def test_from_keeps_only_finder_parameters(raw, expected):
    assert back_to_results_url(raw) == expected


def test_a_crafted_from_is_escaped_on_the_page(client, db):
    listing = make_therapist()
    page = client.get(
        listing.get_absolute_url(), {"from": 'q="><script>alert(1)</script>&javascript:x=1'}
    ).content.decode()
    assert "<script>alert(1)" not in page
    assert "javascript:" not in page
    assert (
        'href="/therapists/?q=%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E">Back to results'
        in page
    )
