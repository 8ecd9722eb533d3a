"""The articles app's admin pages, found by admin autodiscovery (``articles.admin``)."""

from . import article, review, search, users  # noqa: F401 - registers the admin pages
