"""Re-index an article when it or its FAQs change (see ``articles.search.indexing``)."""

from contextvars import ContextVar

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from mhsite.signals import within_announced_write

from ..models import FAQ, Article
from .indexing import forget_article, index_article

# Articles being deleted right now: their FAQs go first (cascade), and
# re-indexing the article for each of them would recreate its document.
_deleting: ContextVar[frozenset[int]] = ContextVar("search_deleting", default=frozenset())


@receiver(post_save, sender=Article, dispatch_uid="search_index_article")
def index_saved_article(sender, instance, **kwargs):
    index_article(instance.pk)


@receiver(pre_delete, sender=Article, dispatch_uid="search_forget_article")
def forget_deleted_article(sender, instance, using=None, **kwargs):
    _deleting.set(_deleting.get() | {instance.pk})
    with within_announced_write(using or "default"):
        forget_article(instance.pk)


@receiver(post_delete, sender=Article, dispatch_uid="search_forget_article_done")
def deleted_article(sender, instance, **kwargs):
    _deleting.set(_deleting.get() - {instance.pk})


@receiver([post_save, post_delete], sender=FAQ, dispatch_uid="search_index_faq")
def index_faq_article(sender, instance, **kwargs):
    if instance.article_id not in _deleting.get():
        index_article(instance.article_id)
