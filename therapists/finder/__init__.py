"""The therapist finder's search: filters, facet counts, text search, distance and order.

- ``codes``: the facet code numbering that migrations and SQL functions rely on;
- ``query``: a reader's search (``FinderParams``), its filters and querysets
  (``FinderSearch``), with ``text`` (text search) and ``geo`` (place, distance);
- ``counts``: the result and facet counts, one strategy per database, with
  ``passes`` and ``listing_counts`` for PostgreSQL's;
- ``maintenance``: rebuilding and checking the derived data (``rebuild_finder``);
- ``presentation``: what the page says about a search;
- ``vocabularies``: the terms, read once per content generation per process;
- ``cards`` and ``rendering``: a page of results as plain rows, and the facet
  controls and result cards written in one pass each (docs/finder.md,
  "Rendering").

Everything is computed in the database, in a fixed number of queries whatever
the filters and the page size:

1. the vocabularies (one UNION query, by ``query.load_vocabularies``), only
   when the content generation moved since this process last read them;
2. the counts: on PostgreSQL, the result count and every facet count in one
   statement; on SQLite, the facet counts of every vocabulary group (one
   UNION ALL of GROUP BYs), then the result count plus the gender, format and
   yes/no facet counts (one aggregate with conditional counts);
3. the page of results as plain rows, then the names of their languages and
   specialties in one statement (none when nothing matches);
4. only when nothing matches: one aggregate counting each way out.
"""
