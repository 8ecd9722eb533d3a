"""Place names the finder recognises without asking the database: US states and
Canadian provinces and territories, with their postal abbreviations, and the
shapes of postal codes; and the one query that looks cities up among the listings.
"""

import re
from collections.abc import Iterable

from django.db import connection
from django.db.models import Subquery

from ..models import Therapist

# Phrases of up to three words that might be a place: at most this many are looked up.
MAX_PLACE_CANDIDATES = 24

# Abbreviation -> name. Listings store the region as editors type it (usually
# the full name), so "Chicago, IL" must match a listing in "Illinois" too.
REGIONS = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas",
    "CA": "California", "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware",
    "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia", "HI": "Hawaii",
    "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
    "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
    "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi",
    "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
    "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin",
    "WY": "Wyoming", "PR": "Puerto Rico",
    "AB": "Alberta", "BC": "British Columbia", "MB": "Manitoba", "NB": "New Brunswick",
    "NL": "Newfoundland and Labrador", "NS": "Nova Scotia", "NT": "Northwest Territories",
    "NU": "Nunavut", "ON": "Ontario", "PE": "Prince Edward Island", "QC": "Quebec",
    "SK": "Saskatchewan", "YT": "Yukon",
}  # fmt: skip
REGION_NAMES = {name.casefold(): name for name in REGIONS.values()}

# US ZIP (optionally ZIP+4), a Canadian postal code or its first half.
POSTAL_CODE = re.compile(r"\d{5}(-\d{4})?|[A-Za-z]\d[A-Za-z]( ?\d[A-Za-z]\d)?")
# A ZIP prefix of three or four digits ("973" for listings in 973xx).
POSTAL_PREFIX = re.compile(r"\d{3,4}")


def region_name(text: str) -> str | None:
    """The region ``text`` names, as an abbreviation or a full name; None if it names none."""
    text = text.strip().rstrip(".")
    if len(text) == 2 and text.upper() in REGIONS:
        return REGIONS[text.upper()]
    return REGION_NAMES.get(text.casefold())


def region_spellings(text: str) -> list[str]:
    """``text`` and, when it is a region's abbreviation or name, the other spelling."""
    spellings = [text]
    name = region_name(text)
    if name and name.casefold() != text.casefold():
        spellings.append(name)
    abbreviations = [code for code, full in REGIONS.items() if full.casefold() == text.casefold()]
    spellings.extend(abbreviations)
    return spellings


def find_places(candidates: Iterable[str]) -> dict[str, str]:
    """The candidates naming a listed listing's city or region: casefolded -> as stored.

    One query: per candidate, a ``LIMIT 1`` probe of the ``UPPER(city)`` and
    ``UPPER(region)`` indexes, so a city with thousands of listings costs what
    a city with one does. On PostgreSQL the candidates are one array parameter,
    so the statement is planned the same whatever their number.
    """
    candidates = list(dict.fromkeys(candidates))[:MAX_PLACE_CANDIDATES]
    if not candidates:
        return {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(PLACES_SQL, [candidates])
            rows = cursor.fetchall()
    else:
        listed = Therapist.objects.listed().order_by()
        probes = {}
        for n, candidate in enumerate(candidates):
            probes[f"city_{n}"] = Subquery(listed.filter(city__iexact=candidate).values("city")[:1])
            probes[f"region_{n}"] = Subquery(
                listed.filter(region__iexact=candidate).values("region")[:1]
            )
        rows = Therapist.objects.order_by().annotate(**probes).values_list(*probes)[:1]
    return {value.casefold(): value for row in rows for value in row if value}


# The same probes as the ORM branch above, written once for an array of candidates
# (the partial indexes therapist_city_upper_idx and therapist_region_upper_idx).
PLACES_SQL = """
SELECT
    (SELECT t.city FROM therapists_therapist t
     WHERE t.is_published AND UPPER(t.city) = UPPER(c.name) LIMIT 1),
    (SELECT t.region FROM therapists_therapist t
     WHERE t.is_published AND UPPER(t.region) = UPPER(c.name) LIMIT 1)
FROM unnest(%s::text[]) AS c(name)
"""
