"""Where a listing is: place names, the search circle, and the distance to it."""

import math

from django.db.models import F, Q, Value
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Sin, Sqrt

from .places import region_spellings

EARTH_RADIUS_KM = 6371.0
KM_PER_DEGREE_LATITUDE = 111.045


def bounding_box(latitude: float, longitude: float, radius_km: float) -> Q:
    """A cheap, index-friendly rectangle that contains the search circle."""
    delta_lat = radius_km / KM_PER_DEGREE_LATITUDE
    cos_lat = max(math.cos(math.radians(latitude)), 0.01)
    delta_lng = radius_km / (KM_PER_DEGREE_LATITUDE * cos_lat)
    box = Q(latitude__gte=latitude - delta_lat, latitude__lte=latitude + delta_lat)
    if delta_lng >= 180:
        return box & Q(longitude__isnull=False)
    west, east = longitude - delta_lng, longitude + delta_lng
    if west < -180:  # the circle crosses the antimeridian
        return box & (Q(longitude__gte=west + 360) | Q(longitude__lte=east))
    if east > 180:
        return box & (Q(longitude__gte=west) | Q(longitude__lte=east - 360))
    return box & Q(longitude__gte=west, longitude__lte=east)


def distance_km(latitude: float, longitude: float):
    """The haversine great-circle distance from a point, as a database expression."""
    half_dlat = Radians(F("latitude") - Value(latitude)) / Value(2.0)
    half_dlng = Radians(F("longitude") - Value(longitude)) / Value(2.0)
    a = Power(Sin(half_dlat), 2) + Value(math.cos(math.radians(latitude))) * Cos(
        Radians(F("latitude"))
    ) * Power(Sin(half_dlng), 2)
    # Rounding can push ``a`` a hair above 1 for antipodal points.
    return Value(2 * EARTH_RADIUS_KM) * ASin(Sqrt(Least(a, Value(1.0))))


def _region_is(text: str) -> Q:
    """The region as typed, or its other spelling ("IL" and "Illinois" are one region)."""
    condition = Q()
    for spelling in region_spellings(text):
        condition |= Q(region__iexact=spelling)
    return condition


def location_filter(location: str) -> Q:
    """City, region or postal code, as typed ("Portland", "Oregon", "97205", "Portland, OR")."""
    parts = [part.strip() for part in location.split(",") if part.strip()]
    if len(parts) >= 2:
        return Q(city__iexact=parts[0]) & (_region_is(parts[1]) | Q(postal_code__iexact=parts[1]))
    text = parts[0] if parts else location
    condition = Q(city__iexact=text) | _region_is(text)
    if any(character.isdigit() for character in text):
        condition |= Q(postal_code__istartswith=text)
    return condition
