"""Article search: the reader's /search/?q= page.

Modules:

- ``models``: the stored search documents, the spelling vocabulary, the
  editor-managed synonyms and crisis terms, and the zero-result report.
- ``text``: normalising queries and turning an article into searchable text.
- ``indexing``: keeping the search documents and vocabulary current (signals).
- ``synonyms``, ``crisis``, ``spelling``: query understanding.
- ``postgres`` and ``sqlite``: the two engines behind one interface.
- ``service``: one search, start to finish, as the results page needs it;
  ``results``: its one query for the count, the category counts and the page;
  ``review``: review state in ranking; ``snippets``: PostgreSQL's snippets.

Every query filters through ``published_condition()``: on the search
documents (``SearchDocument.objects.published()``, on their trigger-kept copy
of the article's state) and on the page's articles
(``Article.objects.published()``): drafts, scheduled, expired and archived
articles never reach results, counts, snippets or spelling suggestions.
"""
