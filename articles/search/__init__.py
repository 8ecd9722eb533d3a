"""Article search: the reader's /search/?q= page.

Modules:

- ``models``: the stored search documents, the spelling vocabulary, the
  editor-managed synonyms and crisis terms, and the zero-result report.
- ``text``: normalising queries and turning an article into searchable text.
- ``indexing``: keeping the search documents and vocabulary current (signals).
- ``synonyms``, ``crisis``, ``spelling``: query understanding.
- ``postgres`` and ``sqlite``: the two engines behind one interface.
- ``service``: one search, start to finish, as the results page needs it.

Every query filters through ``Article.objects.published()``: drafts, scheduled,
expired and archived articles never reach results, counts, snippets or
spelling suggestions.
"""
