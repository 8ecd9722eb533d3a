"""The controlled vocabularies listings are described with (specialties, languages, ...).

Editors manage the terms; the finder filters and counts by them
(therapists/finder/codes.py numbers them).
"""

from django.db import models


class Vocabulary(models.Model):
    """A term editors manage: a name readers see, a slug for URLs and filters."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class SpecialtyQuerySet(models.QuerySet):
    def for_categories(self, categories):
        """The specialties editors mapped to any of these article categories."""
        return self.filter(article_categories__in=categories).distinct()


class Specialty(Vocabulary):
    """An issue treated: depression, anxiety, trauma, ..."""

    article_categories = models.ManyToManyField(
        "articles.Category",
        blank=True,
        related_name="specialties",
        help_text="Articles in these categories link to the finder filtered by this specialty.",
    )

    objects = SpecialtyQuerySet.as_manager()

    class Meta(Vocabulary.Meta):
        verbose_name = "specialty"
        verbose_name_plural = "specialties"


class Approach(Vocabulary):
    """A therapeutic approach: CBT, IPT, psychodynamic, mindfulness-based, ..."""

    class Meta(Vocabulary.Meta):
        verbose_name = "approach"
        verbose_name_plural = "approaches"


class Language(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = "language"
        verbose_name_plural = "languages"


class Community(Vocabulary):
    """A cultural background, identity or community a therapist works with or belongs to."""

    class Meta(Vocabulary.Meta):
        verbose_name = "community"
        verbose_name_plural = "communities"


class Faith(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = "faith"
        verbose_name_plural = "faiths"


class AgeGroup(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = "age group"
        verbose_name_plural = "age groups"


class InsurancePlan(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = "insurance plan"
        verbose_name_plural = "insurance plans"


class Region(Vocabulary):
    """A state, province or territory, as used for telehealth licensing.

    Telehealth is licensed per jurisdiction, so "which regions can this
    therapist see clients online in" is a set of terms from one controlled
    list. A vocabulary (rather than free text) keeps the finder's filter an
    indexed join and its facet counts exact, whatever editors type.
    """

    class Meta(Vocabulary.Meta):
        verbose_name = "region"
        verbose_name_plural = "regions"
