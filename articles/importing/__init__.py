"""Import article files (format: ``articles/frontmatter``) into the database.

Each file is imported in its own transaction: a file with an error changes
nothing (image files it would have added are removed again) and the others
still import. Articles are matched by slug, so importing the same file twice
updates the article rather than duplicating it, and a file whose content is
already in the database writes nothing at all. Related articles are linked
in a second pass once every file is in, so a file may name articles that come
later in the same batch.

- ``results``: what a file's import came to, and the error a person reads;
- ``images``: reading, re-encoding and storing the images a file names;
- ``saving``: turning one parsed file into rows, inside its transaction;
- ``importer``: the batch, file by file, then the related links.
"""

from .images import MAX_IMAGE_BYTES
from .importer import MAX_ARTICLE_FILE_BYTES, ArticleImporter
from .results import FileResult, ImportFileError, ImportReport, find_article_files

__all__ = [
    "MAX_ARTICLE_FILE_BYTES",
    "MAX_IMAGE_BYTES",
    "ArticleImporter",
    "FileResult",
    "ImportFileError",
    "ImportReport",
    "find_article_files",
]
