"""What readers may see of the listings and how fresh their claims are: the
availability choices, the staleness rules and the queryset every public view uses.

Availability not confirmed within ``settings.THERAPIST_AVAILABILITY_STALE_DAYS``
is shown as "unknown" and ranks below confirmed listings.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils import timezone

from mhsite.dates import add_months


class Availability(models.TextChoices):
    """What a listing says about new clients (``Therapist.Availability``)."""

    ACCEPTING = "accepting", "Accepting new clients"
    WAITLIST = "waitlist", "Waitlist"
    NOT_ACCEPTING = "not_accepting", "Not accepting new clients"


def availability_fresh_cutoff(today: datetime.date | None = None) -> datetime.date:
    """The oldest confirmation date whose availability claim is still shown."""
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=settings.THERAPIST_AVAILABILITY_STALE_DAYS)


def availability_check_due(today: datetime.date) -> Q:
    """Availability not confirmed within the editors' check interval (or never)."""
    cutoff = today - datetime.timedelta(days=settings.THERAPIST_AVAILABILITY_CHECK_DAYS)
    return Q(availability_confirmed_on__isnull=True) | Q(availability_confirmed_on__lt=cutoff)


def licence_check_due(today: datetime.date) -> Q:
    """Licence not verified within the editors' check interval (or never)."""
    cutoff = add_months(today, -settings.THERAPIST_LICENCE_CHECK_MONTHS)
    return Q(licence_verified_on__isnull=True) | Q(licence_verified_on__lt=cutoff)


class TherapistQuerySet(models.QuerySet):
    def listed(self):
        """What the public may see. Every public view, sitemap and tag uses this."""
        return self.filter(is_published=True)

    def availability_fresh(self, today: datetime.date | None = None):
        return self.filter(availability_confirmed_on__gte=availability_fresh_cutoff(today))

    def accepting_new_clients(self, today: datetime.date | None = None):
        """Accepting new clients, confirmed recently enough to be believed."""
        return self.availability_fresh(today).filter(availability=Availability.ACCEPTING)

    def with_effective_availability(self, today: datetime.date | None = None):
        """Annotate what readers are shown about availability, for display and ranking.

        - ``is_availability_fresh``: confirmed within the staleness window;
        - ``current_availability``: the stored value, or ``"unknown"`` when stale;
        - ``availability_rank``: 0 accepting, 1 waitlist, 2 not accepting,
          3 unknown, so ``order_by("availability_rank", ...)`` puts confirmed
          listings above stale ones.
        """
        fresh = Q(availability_confirmed_on__gte=availability_fresh_cutoff(today))
        availability = Availability
        return self.annotate(
            is_availability_fresh=Case(
                When(fresh, then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            ),
            current_availability=Case(
                When(fresh, then=F("availability")),
                default=Value(EffectiveAvailability.UNKNOWN.value),
                output_field=models.CharField(),
            ),
            availability_rank=Case(
                When(fresh & Q(availability=availability.ACCEPTING), then=Value(0)),
                When(fresh & Q(availability=availability.WAITLIST), then=Value(1)),
                When(fresh, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            ),
        )

    def availability_needs_check(self, today: datetime.date | None = None):
        """Availability not confirmed within the editors' check interval (or never)."""
        return self.filter(availability_check_due(today or timezone.localdate()))

    def licence_needs_check(self, today: datetime.date | None = None):
        """Licence not verified within the editors' check interval (or never)."""
        return self.filter(licence_check_due(today or timezone.localdate()))

    def stale(self, today: datetime.date | None = None):
        """Listings an editor should re-check: availability or licence out of date."""
        today = today or timezone.localdate()
        return self.filter(availability_check_due(today) | licence_check_due(today))


class EffectiveAvailability(models.TextChoices):
    """What a reader is shown: the stored availability, or unknown when stale."""

    ACCEPTING = "accepting", "Accepting new clients"
    WAITLIST = "waitlist", "Waitlist"
    NOT_ACCEPTING = "not_accepting", "Not accepting new clients"
    UNKNOWN = "unknown", "Availability unknown"
