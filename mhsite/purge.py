"""Purging the CDN or Varnish in front by tag (stub until the backends land)."""


def enqueue(tags) -> None:
    return None
