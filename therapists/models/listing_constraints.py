"""The therapist table's indexes and check constraints (``Therapist.Meta``)."""

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper

# Every index is written by each non-HOT update of a listing (a bulk edit of
# 1,000 listings at 1M rows writes 1,000 entries into each), so none is kept
# that no query reads: the fee filter reads fee_min through
# therapist_finder_fee_cover_idx (PostgreSQL, migration 0010), nothing filters
# on fee_max, and postal codes are matched by UPPER(postal_code) LIKE, which a
# plain index on the column cannot serve (PostgreSQL has
# therapist_postal_upper_idx, migration 0021).
INDEXES = [
    models.Index(fields=["is_published", "availability"], name="therapist_pub_avail_idx"),
    models.Index(fields=["city"], name="therapist_city_idx"),
    models.Index(fields=["region"], name="therapist_region_idx"),
    # The finder matches a typed city or region case-insensitively
    # (``iexact``: UPPER(city) = UPPER(%s) on PostgreSQL).
    models.Index(Upper("city"), condition=Q(is_published=True), name="therapist_city_upper_idx"),
    models.Index(
        Upper("region"), condition=Q(is_published=True), name="therapist_region_upper_idx"
    ),
    models.Index(fields=["latitude", "longitude"], name="therapist_lat_lng_idx"),
    models.Index(fields=["availability_confirmed_on"], name="therapist_avail_conf_idx"),
    models.Index(fields=["licence_verified_on"], name="therapist_licence_ver_idx"),
]
CONSTRAINTS = [
    models.CheckConstraint(
        condition=Q(fee_min__isnull=True) | Q(fee_max__isnull=True) | Q(fee_min__lte=F("fee_max")),
        name="therapist_fee_min_lte_max",
        violation_error_message="The minimum fee cannot be higher than the maximum fee.",
    ),
    models.CheckConstraint(
        condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
        name="therapist_latitude_range",
        violation_error_message="Latitude must be between -90 and 90.",
    ),
    models.CheckConstraint(
        condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
        name="therapist_longitude_range",
        violation_error_message="Longitude must be between -180 and 180.",
    ),
    models.CheckConstraint(
        condition=Q(latitude__isnull=True, longitude__isnull=True)
        | Q(latitude__isnull=False, longitude__isnull=False),
        name="therapist_lat_lng_together",
        violation_error_message="Give both latitude and longitude, or neither.",
    ),
    models.CheckConstraint(
        condition=Q(photo="") | ~Q(photo_alt=""),
        name="therapist_photo_requires_alt",
        violation_error_message="A photo needs alt text describing it.",
    ),
]
