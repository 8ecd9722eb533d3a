from django import template

from articles.review_queue import queue_count

register = template.Library()


@register.simple_tag
def review_queue_count() -> int:
    """How many articles the review queue lists (the admin index's badge)."""
    return queue_count()
