"""The article file format: Markdown with YAML front matter.

One article per file, used by ``import_articles``, ``export_articles`` and the
demo content (``articles/demo/``)::

    ---
    title: Understanding anxiety          # the only required key
    slug: understanding-anxiety           # default: made from the title
    summary: One or two sentences.
    status: published                     # draft | in_review | published | archived
    author: Dr. Example Rivera            # contributor names; created if missing
    author_credentials: MD, psychiatrist  # optional, sets the contributor's credentials
    reviewer: Sam Placeholder             # the stamp's "Medically reviewed by"
    reviewer_credentials: LCSW
    assigned_reviewer: Sam Placeholder    # who does the next review (gets the reminders)
    categories: [Anxiety, Mood]           # names; created if missing
    published: 2025-01-15                 # ISO date, or ISO date-time with offset
    expires: 2027-01-15                   # optional, same form: hidden from then on
    updated: 2025-09-10                   # ISO date of the last substantive update (optional)
    last_reviewed: 2025-06-02             # ISO dates
    next_review_due: 2026-06-02           # default: last_reviewed + the review interval
    image: images/anxiety.webp            # relative to this file
    image_alt: Soft overlapping circles.  # required with an image
    image_credit: Illustration by ...
    image_credit_url: https://example.com/
    related: [sleep-and-mood]             # article slugs, in display order
    references:                           # in display order
      - title: National Institute of Mental Health. Anxiety Disorders.
        url: https://www.nimh.nih.gov/health/topics/anxiety-disorders
    ---
    Body in Markdown. ``## Sections`` and ``### sub-sections``.

    ## FAQs

    ### A question readers ask?

    Its answer, in Markdown.

A level-2 heading titled "FAQs" or "Frequently asked questions" (any case)
ends the body; each level-3 heading after it is one question and the text up
to the next level-3 heading is its answer.

The file is the whole article: a key left out means "empty" (or the model's
default), so re-importing a file makes the article match it. This package
turns text into an ``ArticleDocument`` and back and checks every value; it
knows nothing of the database or of image files (see the ``importing`` package and
``exporting.py``).

- ``document``: the keys and the ``ArticleDocument`` a file turns into;
- ``values``: each front matter value read and checked;
- ``sections``: the Markdown side (FAQs, fenced code, image links);
- ``parsing``: text to document and back.
"""

from .document import FRONT_MATTER_KEYS, ArticleDocument, FAQEntry, FormatError, ReferenceEntry
from .parsing import dump_article, parse_article, split_front_matter
from .sections import (
    FAQ_HEADING,
    MARKDOWN_IMAGE,
    is_local_path,
    normalize_newlines,
    outside_code_blocks,
    split_faqs,
)

__all__ = [
    "FAQ_HEADING",
    "FRONT_MATTER_KEYS",
    "MARKDOWN_IMAGE",
    "ArticleDocument",
    "FAQEntry",
    "FormatError",
    "ReferenceEntry",
    "dump_article",
    "is_local_path",
    "normalize_newlines",
    "outside_code_blocks",
    "parse_article",
    "split_faqs",
    "split_front_matter",
]
