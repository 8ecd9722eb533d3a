"""The articles app's admin pages, found by admin autodiscovery (``articles.admin``)."""

from . import article, review, search, taxonomy, users  # noqa: F401 - registers the admin pages
