"""The therapist directory's admin pages, found by admin autodiscovery (``therapists.admin``)."""

from . import listing, reports, vocabularies  # noqa: F401 - registers the admin pages
