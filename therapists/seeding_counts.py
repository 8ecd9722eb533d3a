"""Filling the finder's count tables after a bulk load, with bitmaps and runs.

``therapists.finder.maintenance`` rebuilds the count tables with one
aggregation over every (code, code) and (word, code) pair of every listing:
about 1,000 rows per listing, which at 1,000,000 listings took longer than
the whole seeding target on these machines. Counted as bitmaps instead, the
work is one AND and one population count per pair of *codes* (a few hundred
codes and words, 1,000,000 bits each), whatever the number of listings:

1. one read of every listed listing's codes (``therapists_finder_codes()``,
   the SQL function the triggers use) and words (``tsvector_to_array``), in
   the listing table's order, through a server-side cursor;
2. one bitmap per code and per word: bit ``i`` is set when the ``i``-th
   listing has it;
3. ``popcount(A & B)`` for every pair, written with ``COPY`` into the emptied
   tables, rows sorted by key.

4. the per-place table (migration 0015) from the same read: the listings
   come in order of their place keys (``therapists_finder_places()``), so
   the listings of each (city, region, cell) are one run, whose codes are
   counted once (``Counter.update``, in C) and added to each of its keys.
   ``maintenance``'s aggregation of 40,000,000 (place, code) rows took
   70 s at 1,000,000 listings.

The counts are the same by construction (``maintenance.verify`` compares
them with a recount; tests/test_seed_bulk_copy.py does so after seeding).
"""

import csv
import io
from collections import Counter
from collections.abc import Iterable, Sequence

from django.db import connection

from .finder.codes import listing_codes_sql
from .finder.passes import FINDER_PAIR_TABLE, FINDER_WORD_PAIR_TABLE
from .finder.place_counts import PLACE_PAIR_TABLE
from .models import Therapist

READ_CHUNK = 20_000


def fill_count_tables() -> dict[str, int]:
    """Empty and refill the three count tables from the listed listings; rows written per table.

    Call inside the transaction that loaded the listings (it takes the
    tables' exclusive locks until the commit).
    """
    codes, words, places = read_bitmaps()
    with connection.cursor() as cursor:
        cursor.execute(
            f"TRUNCATE {FINDER_PAIR_TABLE}, {FINDER_WORD_PAIR_TABLE}, {PLACE_PAIR_TABLE}"
        )
        pairs = _copy(cursor, FINDER_PAIR_TABLE, ("a", "b"), code_pairs(codes))
        word_pairs = _copy(
            cursor, FINDER_WORD_PAIR_TABLE, ("word", "code"), word_code_pairs(words, codes)
        )
        place_pairs = _copy(cursor, PLACE_PAIR_TABLE, ("place", "code"), places.rows())
    return {
        FINDER_PAIR_TABLE: pairs,
        FINDER_WORD_PAIR_TABLE: word_pairs,
        PLACE_PAIR_TABLE: place_pairs,
    }


class PlaceCounts:
    """(place, code) counts of listings added in runs of equal place keys."""

    def __init__(self):
        self.counts: Counter = Counter()
        self.places: list[str] = []
        self.run: Counter = Counter()

    def add(self, places: list[str], codes: list[int]) -> None:
        if places != self.places:
            self._close_run()
            self.places = places
        self.run.update(codes)

    def _close_run(self) -> None:
        for place in self.places:
            for code, listings in self.run.items():
                self.counts[place, code] += listings
        self.run = Counter()

    def rows(self) -> Iterable[tuple[str, int, int]]:
        """(place, code, listings) in key order."""
        self._close_run()
        self.places = []
        return ((place, code, n) for (place, code), n in sorted(self.counts.items()))


def read_bitmaps() -> tuple[dict[int, int], dict[str, int], PlaceCounts]:
    """Bitmaps of the listed listings, per code and per word, and their place counts."""
    table = connection.ops.quote_name(Therapist._meta.db_table)
    code_bits: dict[int, bytearray] = {}
    word_bits: dict[str, bytearray] = {}
    places = PlaceCounts()
    with connection.connection.cursor(name="seed_count_read") as cursor:
        cursor.itersize = READ_CHUNK
        cursor.execute(
            f"SELECT {listing_codes_sql('listing')}, "  # noqa: S608
            "tsvector_to_array(listing.search_vector), therapists_finder_places(listing.city, "
            "listing.region, listing.postal_code, listing.latitude, listing.longitude, "
            "listing.online) AS places "
            f"FROM {table} AS listing WHERE listing.is_published ORDER BY places"
        )
        width = (Therapist.objects.listed().count() + 7) // 8
        for index, (listing_codes, listing_words, listing_places) in enumerate(cursor):
            places.add(listing_places, listing_codes)
            byte, bit = index >> 3, 1 << (index & 7)
            for key in listing_codes:
                bits = code_bits.get(key)
                if bits is None:
                    bits = code_bits[key] = bytearray(width)
                bits[byte] |= bit
            for key in listing_words or ():
                bits = word_bits.get(key)
                if bits is None:
                    bits = word_bits[key] = bytearray(width)
                bits[byte] |= bit
    return _as_ints(code_bits), _as_ints(word_bits), places


def _as_ints(bitmaps: dict) -> dict:
    return {key: int.from_bytes(bits, "little") for key, bits in bitmaps.items()}


def code_pairs(codes: dict[int, int]) -> Iterable[tuple[int, int, int]]:
    """(a, b, listings) for every pair of codes some listing has both of, in (a, b) order."""
    ordered = sorted(codes)
    counts: dict[tuple[int, int], int] = {}
    for position, a in enumerate(ordered):
        bits = codes[a]
        counts[a, a] = bits.bit_count()
        for b in ordered[position + 1 :]:
            listings = (bits & codes[b]).bit_count()
            if listings:
                counts[a, b] = counts[b, a] = listings
    return ((a, b, counts[a, b]) for a, b in sorted(counts))


def word_code_pairs(words: dict[str, int], codes: dict[int, int]) -> Iterable[tuple]:
    """(word, code, listings) for every word and code some listing has both of."""
    ordered_codes = sorted(codes)
    for word in sorted(words):
        bits = words[word]
        for code in ordered_codes:
            listings = (bits & codes[code]).bit_count()
            if listings:
                yield word, code, listings


def _copy(cursor, table: str, key: Sequence[str], rows: Iterable[tuple]) -> int:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    written = 0
    for row in rows:
        writer.writerow(row)
        written += 1
    buffer.seek(0)
    # Table and column names are this module's constants.
    cursor.cursor.copy_expert(
        f"COPY {table} ({', '.join(key)}, listings) FROM STDIN WITH (FORMAT csv)", buffer
    )
    return written
