"""Categories and contributors (authors and medical reviewers)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from mhsite.images import CleanImageField

from .article import Article


class CategoryQuerySet(models.QuerySet):
    def with_published_articles(self):
        """Categories a reader can browse: those with at least one published article."""
        return self.filter(
            models.Exists(Article.objects.published().filter(categories=models.OuterRef("pk")))
        )


class Category(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    review_interval_months = models.PositiveSmallIntegerField(
        "review interval (months)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=(
            "How often articles in this category need a full medical review, e.g. 6 for "
            "medication topics. Empty: the site default. An article in several categories "
            "uses the shortest interval."
        ),
    )

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "category"
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:category", kwargs={"slug": self.slug})


class ContributorQuerySet(models.QuerySet):
    def with_published_work(self):
        """Contributors a reader can look up: authors or stamp reviewers of a published article."""
        published = Article.objects.published()
        return self.filter(
            models.Exists(published.filter(author=models.OuterRef("pk")))
            | models.Exists(published.vouched_for_by(models.OuterRef("pk")))
        )


class Contributor(models.Model):
    """A person behind the content: author, medical reviewer, or both."""

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    credentials = models.CharField(
        max_length=200,
        blank=True,
        help_text='Shown after the name, e.g. "MD, board-certified psychiatrist".',
    )
    bio = models.TextField(blank=True)
    photo = CleanImageField(upload_to="contributors/", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributor",
        help_text=(
            "A reviewer's login: the reviews they record are signed with this profile. "
            "Only administrators may change it (articles/contributors.py)."
        ),
    )

    objects = ContributorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "contributor"
        verbose_name_plural = "contributors"
        permissions = [
            ("link_contributor_user", "Can link a contributor profile to a login"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # The login decides whose name it signs reviews with: only
        # articles.contributors.link_user (permission checked, logged) changes it.
        loaded = getattr(self, "_loaded_user_id", self.user_id)
        if self.user_id != loaded and not getattr(self, "_user_link_checked", False):
            raise PermissionDenied(
                "A contributor's login is changed only through articles.contributors.link_user."
            )
        super().save(*args, **kwargs)
        self._loaded_user_id = self.user_id
        self._user_link_checked = False

    def get_absolute_url(self):
        return reverse("articles:contributor", kwargs={"slug": self.slug})

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        if "user_id" in instance.__dict__:  # not when the field was deferred
            instance._loaded_user_id = instance.user_id
        return instance

    def refresh_from_db(self, using=None, fields=None, **kwargs):
        super().refresh_from_db(using, fields, **kwargs)
        if fields is None or "user" in fields or "user_id" in fields:
            self._loaded_user_id = self.user_id

    @property
    def name_with_credentials(self) -> str:
        return f"{self.name}, {self.credentials}" if self.credentials else self.name
