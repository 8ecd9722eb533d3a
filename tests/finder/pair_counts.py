"""PostgreSQL: the finder's count tables as stored, and as recounted from the listings."""

import collections
import itertools
import math

from django.db import connection

from therapists.finder.codes import (
    FORMAT_CODES,
    GENDER_CODES,
    SLIDING_CODE,
    TOTAL_CODE,
    VOCABULARY_GROUPS,
    accepting_codes,
)
from therapists.finder.place_counts import CELL_DEGREES, PLACE_PAIR_TABLE
from therapists.finder.tables import FinderPair, FinderWordPair
from therapists.models import Therapist


def expected_codes(therapist: Therapist) -> list[int]:
    """A listing's codes, worked out in Python from its fields and relation tables."""
    codes = [TOTAL_CODE]
    for group in VOCABULARY_GROUPS:
        relation = getattr(therapist, group.relation)
        codes += [group.code(pk) for pk in relation.values_list("pk", flat=True)]
    codes += [FORMAT_CODES[name] for name in FORMAT_CODES if getattr(therapist, name)]
    if therapist.gender:
        codes.append(GENDER_CODES[therapist.gender])
    if therapist.sliding_scale:
        codes.append(SLIDING_CODE)
    confirmed = therapist.availability_confirmed_on
    if therapist.availability == Therapist.Availability.ACCEPTING and confirmed:
        codes.append(accepting_codes(confirmed)[0])
    return codes


def expected_pairs() -> dict[tuple[int, int], int]:
    pairs: collections.Counter = collections.Counter()
    for therapist in Therapist.objects.listed():
        codes = expected_codes(therapist)
        pairs.update(itertools.product(codes, codes))
    return dict(pairs)


def stored_pairs() -> dict[tuple[int, int], int]:
    rows = FinderPair.objects.exclude(listings=0).values_list("a", "b", "listings")
    return {(a, b): listings for a, b, listings in rows}


def expected_word_pairs() -> dict[tuple[str, int], int]:
    """(word, code) -> listed listings having both: their search words times their codes."""
    pairs: collections.Counter = collections.Counter()
    for therapist in Therapist.objects.listed():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT tsvector_to_array(search_vector) FROM therapists_therapist WHERE id = %s",
                [therapist.pk],
            )
            words = cursor.fetchone()[0] or []
        pairs.update(itertools.product(words, expected_codes(therapist)))
    return dict(pairs)


def stored_word_pairs() -> dict[tuple[str, int], int]:
    rows = FinderWordPair.objects.exclude(listings=0).values_list("word", "code", "listings")
    return {(word, code): listings for word, code, listings in rows}


def expected_places(therapist: Therapist) -> list[str]:
    """A listing's place keys (migrations 0015, 0023), worked out in Python."""
    city, region = therapist.city.upper(), therapist.region.upper()
    places = [f"c:{city}", f"r:{region}", f"cr:{len(city)}:{city}{region}"]
    if therapist.latitude is not None and therapist.longitude is not None:
        row = math.floor(therapist.latitude / CELL_DEGREES)
        places.append(f"g:{row}:{math.floor(therapist.longitude / CELL_DEGREES)}")
    postal = therapist.postal_code.upper()
    places += [f"p:{postal[:n]}" for n in (1, 2, 3) if len(postal) >= n]
    if not therapist.online:
        places += [f"off:{place}" for place in places]
    return places


def expected_place_pairs() -> dict[tuple[str, int], int]:
    pairs: collections.Counter = collections.Counter()
    for therapist in Therapist.objects.listed():
        pairs.update(itertools.product(expected_places(therapist), expected_codes(therapist)))
    return dict(pairs)


def stored_place_pairs() -> dict[tuple[str, int], int]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT place, code, listings FROM {PLACE_PAIR_TABLE} WHERE listings <> 0"  # noqa: S608
        )
        return {(place, code): listings for place, code, listings in cursor.fetchall()}


def assert_pairs_exact() -> None:
    assert stored_pairs() == expected_pairs()
    assert stored_word_pairs() == expected_word_pairs()
    assert stored_place_pairs() == expected_place_pairs()
