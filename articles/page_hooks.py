"""What other apps may add to the article page, without articles importing them.

An app registers, in its ``AppConfig.ready()``, a function returning a query
expression; the article page annotates each of its categories with it in the
query that reads them (so it costs no query of its own), and templates read
the attribute. The therapists app adds ``specialty_slugs`` for the page's
finder link (therapists/apps.py, therapists/templatetags/finder_tags.py).
"""

from collections.abc import Callable
from typing import Any

_category_annotations: dict[str, Callable[[], Any]] = {}


def add_category_annotation(name: str, expression: Callable[[], Any]) -> None:
    """Annotate the article page's categories with ``expression()`` as ``name``."""
    _category_annotations[name] = expression


def category_annotations() -> dict[str, Any]:
    """The registered annotations, as keyword arguments for ``QuerySet.annotate``."""
    return {name: expression() for name, expression in _category_annotations.items()}
