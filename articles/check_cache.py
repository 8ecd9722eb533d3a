"""Content check results kept on the article, so lists never load article bodies.

The admin changelist shows each article's failing content checks. Running
them needs the body, the rendered HTML and the FAQs, and the reading-level
check reads every word: 11 drafts of 2 MB took the list from 0.77 s to 6.3 s
(issue 9, finding 7). So the failing check codes are stored on the article
(``Article.check_codes``) and the list loads only that small column.

Any change the checks depend on marks the stored result stale (``None``):
saving the article (``Article.save``), saving or deleting one of its FAQs or
references, and changing the medication terms. The changelist recomputes the
stale rows of the page it shows in a fixed number of queries; the change page
always runs the checks live.
"""

from django.contrib.admin.views.main import ChangeList
from django.db.models import Count, Prefetch
from django.db.models.signals import post_delete, post_save

from mhsite.signals import writes_no_public_page

from . import checks
from .models import FAQ, Article, MedicationTerm, Reference


def mark_stale(article_id) -> None:
    with writes_no_public_page(Article):
        Article.objects.filter(pk=article_id, check_codes__isnull=False).update(check_codes=None)


def _article_part_changed(sender, instance, **kwargs) -> None:
    if not kwargs.get("raw"):
        mark_stale(instance.article_id)


def _medication_terms_changed(sender, **kwargs) -> None:
    if not kwargs.get("raw"):
        with writes_no_public_page(Article):
            Article.objects.filter(check_codes__isnull=False).update(check_codes=None)


def connect_signals() -> None:
    for model in (FAQ, Reference):
        for signal in (post_save, post_delete):
            signal.connect(
                _article_part_changed, sender=model, dispatch_uid=f"check_cache_{model.__name__}"
            )
    for signal in (post_save, post_delete):
        signal.connect(
            _medication_terms_changed, sender=MedicationTerm, dispatch_uid="check_cache_terms"
        )


def refresh_stale(articles) -> None:
    """Compute and store the check codes of the stale ones among ``articles``.

    Three queries however many are stale: their full rows with FAQs and a
    reference count, then one UPDATE per distinct result.
    """
    stale = {article.pk: article for article in articles if article.check_codes is None}
    if not stale:
        return
    full = (
        Article.objects.filter(pk__in=stale)
        .annotate(reference_total=Count("references"))
        .prefetch_related(Prefetch("faqs", queryset=FAQ.objects.order_by("order", "pk")))
    )
    by_result: dict[tuple[str, ...], list[int]] = {}
    for article in full:
        results = checks.run_checks(
            article,
            faqs=[(faq.question, faq.answer) for faq in article.faqs.all()],
            reference_count=article.reference_total,
        )
        codes = tuple(result.code for result in results)
        by_result.setdefault(codes, []).append(article.pk)
        stale[article.pk].check_codes = list(codes)
    with writes_no_public_page(Article):
        for codes, pks in by_result.items():
            Article.objects.filter(pk__in=pks).update(check_codes=list(codes))


class LightChangeList(ChangeList):
    """The article list without body columns or FAQs; stale check results refreshed."""

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        return queryset.without_bodies().prefetch_related(None)

    def get_results(self, request):
        super().get_results(request)
        refresh_stale(self.result_list)
