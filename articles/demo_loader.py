"""The articles' demo content: the Markdown files in articles/demo/.

Read by the same importer as ``import_articles``, so they double as examples
of the format. ``manage.py loaddemo`` (mhsite) calls this, then the other
apps' demo loaders.
"""

from pathlib import Path

from .importing import ArticleImporter, ImportReport

DEMO_DIR = Path(__file__).resolve().parent / "demo"


def load_demo_articles(*, update: bool = False) -> ImportReport:
    """Import the demo articles. Existing ones are kept as editors left them unless ``update``."""
    return ArticleImporter(update_existing=update).import_paths([DEMO_DIR])
