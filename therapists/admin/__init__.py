"""The therapist directory's admin pages, found by admin autodiscovery (``therapists.admin``)."""

from . import listing, vocabularies  # noqa: F401 - registers the admin pages
