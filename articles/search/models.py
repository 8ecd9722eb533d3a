"""Search data stored beside the articles (registered on the ``articles`` app)."""

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower


class SearchDocumentQuerySet(models.QuerySet):
    def published(self):
        """Documents of articles the public may see: the one definition, on the copied state."""
        from ..models import published_condition

        return self.filter(published_condition())


class SearchDocument(models.Model):
    """One article as search sees it: weighted text parts, their vectors, its publishing state.

    Written by ``articles.search.indexing`` whenever the article or its FAQs
    change. The publishing and review fields are copies of the article's, under
    the same names, so ``published_condition()`` and the review order apply to
    them unchanged and a search never joins the (wide) article table; a
    database trigger on the article table (migration 0009) keeps them current
    whatever writes the article, bulk updates and raw SQL included.

    On PostgreSQL the row is kept narrow (migration 0009): every text part and
    the full vector are stored out of line, only ``rank_vector`` and the copied
    state stay in the row, so matching and ranking thousands of documents reads
    a few hundred pages (docs/search.md). There the row also holds the
    article's category ids (``category_ids``, migration 0011, kept by
    triggers), which this model does not declare: the search's category
    counts read it in raw SQL (``postgres.FACETS``).
    """

    article = models.OneToOneField(
        "articles.Article",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
    )
    title = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    headings = models.TextField(blank=True)
    faq_questions = models.TextField(blank=True)
    body_text = models.TextField(blank=True)
    faq_answers = models.TextField(blank=True)
    # The distinct words of the document, space-separated: what this document
    # added to the spelling vocabulary, so an edit can take back the old ones.
    words = models.TextField(blank=True)
    vector = SearchVectorField(null=True, editable=False)
    # What ranking reads: the same weighted parts with the body cut to its
    # opening words. Small enough to be stored inline, so ranking thousands of
    # matches never decompresses whole articles (docs/search.md).
    rank_vector = SearchVectorField(null=True, editable=False)
    # Copies of the article's fields of the same names (see the class docstring).
    status = models.CharField(max_length=20, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, editable=False)
    expires_at = models.DateTimeField(null=True, editable=False)
    last_reviewed = models.DateField(null=True, editable=False)
    next_review_due = models.DateField(null=True, editable=False)

    objects = SearchDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "search document"
        verbose_name_plural = "search documents"
        # The GIN index on ``vector`` is PostgreSQL-only: created in migration
        # 0008 (article_search_vector_gin).

    def __str__(self):
        return self.title


class SearchWord(models.Model):
    """A word that occurs in the articles: the vocabulary spelling suggestions come from."""

    word = models.CharField(max_length=60, unique=True)
    document_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["word"]
        verbose_name = "search word"
        verbose_name_plural = "search words"
        # Trigram GiST index (search_word_trgm_gist) on PostgreSQL: migration 0008.

    def __str__(self):
        return self.word


class SynonymKind(models.TextChoices):
    MEDICATION = "medication", "Medication brand ↔ generic name"
    LAY_CLINICAL = "lay_clinical", "Everyday ↔ clinical term"
    SPELLING = "spelling", "British ↔ American spelling"
    OTHER = "other", "Other"


class SearchSynonym(models.Model):
    """Words and phrases a search treats as the same ("Klonopin, clonazepam")."""

    terms = models.CharField(
        max_length=500,
        help_text=(
            "Two or more words or phrases that mean the same, separated by commas, e.g. "
            '"Klonopin, clonazepam" or "can\'t sleep, insomnia". A search for any of them '
            "finds articles that use any other."
        ),
    )
    kind = models.CharField(max_length=20, choices=SynonymKind, default=SynonymKind.OTHER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "terms"]
        verbose_name = "search synonym set"
        verbose_name_plural = "search synonym sets"
        constraints = [
            models.UniqueConstraint(Lower("terms"), name="search_synonym_terms_ci_unique"),
        ]

    def __str__(self):
        return self.terms

    def save(self, *args, **kwargs):
        # Enforced here, not only in the admin form: imports and shells obey it too.
        self.clean()
        self.terms = ", ".join(self.term_list())
        super().save(*args, **kwargs)

    def clean(self):
        if len(self.term_list()) < 2:
            raise ValidationError({"terms": "Give at least two different words or phrases."})

    def term_list(self) -> list[str]:
        """The distinct terms, trimmed, in the editor's order."""
        from .text import normalise

        seen, terms = set(), []
        for term in self.terms.split(","):
            key = normalise(term)
            if key and key not in seen:
                seen.add(key)
                terms.append(" ".join(term.split()))
        return terms


class CrisisTerm(models.Model):
    """A word or phrase that signals risk: its search shows the crisis-support box first.

    Added to the built-in core list in ``articles.search.crisis``, which
    editors cannot remove, so the box never silently disappears.
    """

    phrase = models.CharField(
        max_length=100,
        unique=True,
        help_text=(
            "Matched as whole words in any letter case, ignoring hyphens and apostrophes "
            '("self-harm" also matches "self harm" and "selfharm").'
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["phrase"]
        verbose_name = "crisis search term"
        verbose_name_plural = "crisis search terms"
        constraints = [
            models.UniqueConstraint(Lower("phrase"), name="crisis_term_phrase_ci_unique"),
        ]

    def __str__(self):
        return self.phrase

    def save(self, *args, **kwargs):
        self.clean()
        self.phrase = " ".join(self.phrase.split())
        super().save(*args, **kwargs)

    def clean(self):
        from .text import normalise

        if not normalise(self.phrase):
            raise ValidationError({"phrase": "Give a word or phrase."})


class ZeroResultQuery(models.Model):
    """How often a normalised query found nothing in one week. Nothing about who searched."""

    query = models.CharField(max_length=100)
    week = models.DateField(help_text="The Monday of the week.")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-week", "-count", "query"]
        verbose_name = "search that found nothing"
        verbose_name_plural = "searches that found nothing"
        constraints = [
            models.UniqueConstraint(fields=["query", "week"], name="zero_result_query_week_unique"),
        ]
        indexes = [models.Index(fields=["week"], name="zero_result_week_idx")]

    def __str__(self):
        return f"{self.query} ({self.count} in week of {self.week})"
