"""Therapist listings (the vocabularies are in vocabularies.py, readers'
reports in reports.py).

Every claim that goes stale carries the date it was last checked:
availability (``availability_confirmed_on``) and licence status
(``licence_verified_on``). Availability not confirmed within
``settings.THERAPIST_AVAILABILITY_STALE_DAYS`` is shown as "unknown" and ranks
below confirmed listings (``Therapist.effective_availability`` and
``TherapistQuerySet.with_effective_availability``).
"""

import datetime

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from markdownx.models import MarkdownxField

from mhsite.images import CleanImageField
from mhsite.markdown import BIO_MAX_CHARS, MarkdownLengthValidator, render_markdown

from .listing_choices import Gender, LicenceStatus
from .listing_constraints import CONSTRAINTS, INDEXES
from .listing_queries import (
    Availability,
    EffectiveAvailability,
    TherapistQuerySet,
    availability_fresh_cutoff,
)
from .vocabularies import (
    AgeGroup,
    Approach,
    Community,
    Faith,
    InsurancePlan,
    Language,
    Region,
    Specialty,
)


def default_country() -> str:
    return settings.THERAPIST_DEFAULT_COUNTRY


class Therapist(models.Model):
    LicenceStatus = LicenceStatus
    Availability = Availability
    Gender = Gender

    # Who
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    pronouns = models.CharField(max_length=50, blank=True, help_text='e.g. "she/her", "they/them".')
    photo = CleanImageField(upload_to="therapists/", blank=True)
    photo_alt = models.CharField(
        "photo alt text",
        max_length=250,
        blank=True,
        help_text="Describe the photo for readers who cannot see it. Required with a photo.",
    )
    professional_title = models.CharField(
        max_length=150, blank=True, help_text='e.g. "Licensed Clinical Social Worker".'
    )
    credentials = models.CharField(
        max_length=100, blank=True, help_text='Shown after the name, e.g. "LCSW, PhD".'
    )
    gender_identity = models.CharField(
        "gender identity (self-described)",
        max_length=100,
        blank=True,
        help_text="Optional, in the therapist's own words. Leave empty if they prefer not to say.",
    )
    gender = models.CharField(
        "gender category",
        max_length=20,
        choices=Gender,
        blank=True,
        help_text="Optional; used by the finder's gender filter. Empty means not stated.",
    )

    # Licence
    licence_type = models.CharField(max_length=100, blank=True, help_text='e.g. "LCSW", "LMFT".')
    licence_number = models.CharField(max_length=50, blank=True)
    licence_jurisdiction = models.CharField(
        max_length=100, blank=True, help_text="The state or province that issued the licence."
    )
    licence_status = models.CharField(
        max_length=20, choices=LicenceStatus, default=LicenceStatus.UNVERIFIED
    )
    licence_verified_on = models.DateField("licence last verified", null=True, blank=True)
    licence_source_url = models.URLField(
        "licence source URL",
        max_length=500,
        blank=True,
        help_text="The register page used to verify the licence.",
    )

    # About
    bio = MarkdownxField(
        blank=True,
        help_text="Markdown. Written in the first or third person. "
        f"At most {BIO_MAX_CHARS:,} characters.",
        validators=[MarkdownLengthValidator(BIO_MAX_CHARS)],
    )
    bio_html = models.TextField(editable=False, blank=True)

    # Where
    practice_name = models.CharField(max_length=200, blank=True)
    address_line = models.CharField(
        max_length=250, blank=True, help_text="Optional: some therapists publish only the city."
    )
    city = models.CharField(max_length=100, blank=True)
    region = models.CharField(
        max_length=100, blank=True, help_text="State, province or territory, e.g. Oregon."
    )
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(
        max_length=2,
        default=default_country,
        validators=[RegexValidator(r"^[A-Z]{2}$", "Use a two-letter ISO country code, e.g. US.")],
        help_text="Two-letter ISO code, e.g. US, CA.",
    )
    # Floats rather than decimals: the finder computes distances with the
    # database's trigonometric functions, which work on double precision.
    latitude = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )

    # How
    in_person = models.BooleanField("in-person sessions", default=False)
    online = models.BooleanField("online sessions (video/phone)", default=False)
    telehealth_regions = models.ManyToManyField(
        Region,
        blank=True,
        related_name="therapists",
        help_text="Where the therapist is licensed to see clients online.",
    )

    # Availability
    availability = models.CharField(max_length=20, choices=Availability)
    availability_confirmed_on = models.DateField(
        "availability last confirmed",
        null=True,
        blank=True,
        help_text="The date the therapist or their office last confirmed availability.",
    )

    # Fees and insurance
    fee_min = models.PositiveIntegerField(
        "minimum fee", null=True, blank=True, help_text="Per session, in whole currency units."
    )
    fee_max = models.PositiveIntegerField(
        "maximum fee", null=True, blank=True, help_text="Per session, in whole currency units."
    )
    sliding_scale = models.BooleanField(default=False)
    insurance_plans = models.ManyToManyField(
        InsurancePlan,
        blank=True,
        related_name="therapists",
        verbose_name="insurance plans (in network)",
    )
    superbills = models.BooleanField(
        "provides superbills", default=False, help_text="For out-of-network reimbursement."
    )

    # Contact
    website = models.URLField(max_length=300, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)

    # Who they help, and how they describe themselves (both opt-in)
    specialties = models.ManyToManyField(Specialty, blank=True, related_name="therapists")
    approaches = models.ManyToManyField(Approach, blank=True, related_name="therapists")
    languages = models.ManyToManyField(Language, blank=True, related_name="therapists")
    faiths = models.ManyToManyField(
        Faith,
        blank=True,
        related_name="therapists",
        help_text="Faith traditions the therapist integrates into their work, if they choose to.",
    )
    age_groups = models.ManyToManyField(AgeGroup, blank=True, related_name="therapists")
    communities_served = models.ManyToManyField(
        Community,
        blank=True,
        related_name="therapists_serving",
        verbose_name="works with communities",
        help_text="Communities the therapist has experience working with.",
    )
    communities_identifies = models.ManyToManyField(
        Community,
        blank=True,
        related_name="therapists_identifying",
        verbose_name="identifies as",
        help_text="Only what the therapist chose to share about themselves.",
    )

    is_published = models.BooleanField("published", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField("modified", auto_now=True)
    # The finder's full-text index on PostgreSQL (name, practice, specialties,
    # approaches, bio), kept current by therapists.finder.maintenance.refresh_search_vectors.
    # Unused on SQLite, where the finder falls back to a simpler matcher.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = TherapistQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "therapist"
        verbose_name_plural = "therapists"
        indexes = INDEXES
        constraints = CONSTRAINTS

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Render once on save so public requests never run Markdown.
        self.bio_html = render_markdown(self.bio)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "bio_html", "modified_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("therapists:detail", kwargs={"slug": self.slug})

    @property
    def name_with_credentials(self) -> str:
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    def is_availability_stale(self, today: datetime.date | None = None) -> bool:
        return (
            self.availability_confirmed_on is None
            or self.availability_confirmed_on < availability_fresh_cutoff(today)
        )

    def effective_availability(self, today: datetime.date | None = None) -> EffectiveAvailability:
        """The availability readers are shown: "unknown" once the claim is stale."""
        if self.is_availability_stale(today):
            return EffectiveAvailability.UNKNOWN
        return EffectiveAvailability(self.availability)

    def get_effective_availability_display(self) -> str:
        return self.effective_availability().label

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def fee_currency(self) -> str:
        return settings.THERAPIST_FEE_CURRENCY
