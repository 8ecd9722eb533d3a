"""Requesting a page twice and checking a change reaches the cached copy."""


def get(client, url, **headers):
    return client.get(url, headers=headers)


def assert_cached_then_shows(client, url: str, change, expected: str) -> None:
    """The page is served from cache, ``change()`` runs, the next request shows ``expected``."""
    get(client, url)
    second = get(client, url)
    assert second["X-Page-Cache"] == "hit"
    assert expected not in second.content.decode()
    change()
    after = get(client, url)
    assert after.status_code == 200
    assert expected in after.content.decode(), f"{url} still stale after the change"
    assert after["X-Page-Cache"] == "miss"
