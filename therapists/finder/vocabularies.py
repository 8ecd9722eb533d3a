"""The finder's vocabularies, read from the database once per content generation per process.

Every finder request needs every term (the form's choices, the facet
controls, reading the words); they change only when an editor writes, and
every content write bumps the page cache's content generation
(``mhsite.pagecache.current_generation``, shared by all processes through the
cache), as the counts cache relies on too. So a process keeps the terms it
read with the generation it read *before* reading them: a write committing
meanwhile bumps the generation again at its commit, so terms read before that
commit are never kept past it.

The terms are shared by concurrent requests: nothing may change them
(``Term`` is frozen; callers copy the lists they change).
"""

import logging

from mhsite.pagecache import current_generation

from .query import Term, load_vocabularies

logger = logging.getLogger(__name__)

# (content generation, vocabularies read at it)
_kept: tuple[int, dict[str, list[Term]]] | None = None


def vocabularies() -> dict[str, list[Term]]:
    """Every vocabulary's terms, as ``load_vocabularies`` gives them, current for this request."""
    global _kept
    try:
        generation = current_generation()
    except Exception:  # A cache outage must only make the finder slower.
        logger.exception("Could not read the content generation; reading the vocabularies")
        return load_vocabularies()
    kept = _kept
    if kept is not None and kept[0] == generation:
        return kept[1]
    loaded = load_vocabularies()
    _kept = (generation, loaded)  # one assignment: other threads see the old pair or this one
    return loaded
