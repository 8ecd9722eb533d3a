"""Synthetic therapist listings for ``seed_therapists``: the same seed gives the same listings.

Every synthetic listing's slug starts with ``synthetic-``, its bio says it is
synthetic, its name is made of invented surname syllables and its contact
details are example.com / 555-01xx.

Draws use ``random()`` with table lookups (cumulative weights, and every
subset of a small vocabulary listed once) instead of ``choice``, ``randint``
and ``sample``: the distributions are the same, and generating a listing
costs a fraction of what it did, which is most of seeding a million of them.
"""

import bisect
import datetime
import itertools
import math
import random
from collections.abc import Callable, Sequence

from mhsite.markdown import render_markdown

from .seeding import NewListing

SLUG_PREFIX = "synthetic-"

FIRST_NAMES = [
    "Avery", "Jordan", "Amara", "Diego", "Mei", "Riley", "Kwame", "Lucia", "Wei", "Fatima",
    "Tomas", "Hana", "Priya", "Samuel", "Noor", "Elena", "Dev", "Aiyana", "Malik", "Sofia",
    "Linh", "Gabriel", "Rosa", "Yusuf", "Ingrid", "Tariq", "Camila", "Jun", "Ada", "Mateo",
    "Zainab", "Oren", "Leilani", "Harpreet", "Bea", "Kofi", "Marisol", "Rafael", "Sun", "Eli",
    "Morgan", "Casey", "Quinn", "Robin", "Sasha", "Toby", "Uma", "Viktor", "Wren", "Yara",
]  # fmt: skip
# Surnames assembled from invented syllables, so names vary for search
# benchmarks without pointing at anyone.
SURNAME_STARTS = [
    "Ash", "Bel", "Cor", "Dal", "Fen", "Gar", "Hol", "Kes", "Lam",
    "Mor", "Nor", "Pel", "Quin", "Ros", "Sel", "Tam", "Ven", "Wyn",
]  # fmt: skip
SURNAME_ENDS = [
    "ford", "wick", "ton", "ley", "more", "dale", "by", "well",
    "sen", "field", "ari", "ovic", "ez", "ani", "uko", "berg",
]  # fmt: skip

# (city, region, country, latitude, longitude, postal prefix, area code, weight)
CITIES = [
    ("New York", "New York", "US", 40.7128, -74.0060, "100", "212", 12),
    ("Los Angeles", "California", "US", 34.0522, -118.2437, "900", "213", 10),
    ("Chicago", "Illinois", "US", 41.8781, -87.6298, "606", "312", 8),
    ("Houston", "Texas", "US", 29.7604, -95.3698, "770", "713", 6),
    ("Phoenix", "Arizona", "US", 33.4484, -112.0740, "850", "602", 5),
    ("Philadelphia", "Pennsylvania", "US", 39.9526, -75.1652, "191", "215", 5),
    ("San Antonio", "Texas", "US", 29.4241, -98.4936, "782", "210", 4),
    ("San Diego", "California", "US", 32.7157, -117.1611, "921", "619", 4),
    ("Dallas", "Texas", "US", 32.7767, -96.7970, "752", "214", 5),
    ("Austin", "Texas", "US", 30.2672, -97.7431, "787", "512", 4),
    ("San Francisco", "California", "US", 37.7749, -122.4194, "941", "415", 6),
    ("Seattle", "Washington", "US", 47.6062, -122.3321, "981", "206", 5),
    ("Portland", "Oregon", "US", 45.5152, -122.6784, "972", "503", 4),
    ("Denver", "Colorado", "US", 39.7392, -104.9903, "802", "303", 4),
    ("Minneapolis", "Minnesota", "US", 44.9778, -93.2650, "554", "612", 3),
    ("Boston", "Massachusetts", "US", 42.3601, -71.0589, "021", "617", 5),
    ("Atlanta", "Georgia", "US", 33.7490, -84.3880, "303", "404", 4),
    ("Miami", "Florida", "US", 25.7617, -80.1918, "331", "305", 4),
    ("Detroit", "Michigan", "US", 42.3314, -83.0458, "482", "313", 3),
    ("Nashville", "Tennessee", "US", 36.1627, -86.7816, "372", "615", 2),
    ("Baltimore", "Maryland", "US", 39.2904, -76.6122, "212", "410", 2),
    ("Washington", "District of Columbia", "US", 38.9072, -77.0369, "200", "202", 3),
    ("Salt Lake City", "Utah", "US", 40.7608, -111.8910, "841", "801", 2),
    ("Albuquerque", "New Mexico", "US", 35.0844, -106.6504, "871", "505", 1),
    ("Anchorage", "Alaska", "US", 61.2181, -149.9003, "995", "907", 1),
    ("Honolulu", "Hawaii", "US", 21.3069, -157.8583, "968", "808", 1),
    ("Toronto", "Ontario", "CA", 43.6532, -79.3832, "M5", "416", 5),
    ("Montreal", "Quebec", "CA", 45.5019, -73.5674, "H2", "514", 3),
    ("Vancouver", "British Columbia", "CA", 49.2827, -123.1207, "V6", "604", 3),
    ("Calgary", "Alberta", "CA", 51.0447, -114.0719, "T2", "403", 2),
]
CITY_WEIGHTS = [city[-1] for city in CITIES]

TITLES = [
    ("Licensed Clinical Social Worker", "LCSW"),
    ("Licensed Professional Counselor", "LPC"),
    ("Licensed Marriage and Family Therapist", "LMFT"),
    ("Clinical Psychologist", "PhD"),
    ("Counseling Psychologist", "PsyD"),
    ("Psychiatric Nurse Practitioner", "PMHNP-BC"),
]
PRACTICE_KINDS = ["Counselling", "Therapy", "Wellbeing Collective", "Psychology Group"]
GENDERS = [("woman", 55), ("man", 25), ("non_binary", 7), ("genderqueer", 2), ("", 11)]
AVAILABILITY = [("accepting", 45), ("waitlist", 25), ("not_accepting", 30)]
LICENCE = [("active", 80), ("unverified", 12), ("expired", 5), ("not_found", 3)]

RELATIONS = {
    # relation: (vocabulary kind, how many terms: (min, max))
    "specialties": ("specialty", (2, 6)),
    "approaches": ("approach", (1, 4)),
    "age_groups": ("age_group", (1, 3)),
    "communities_served": ("community", (0, 4)),
}


# Listings drawn from one seed, in order; every block starts from its own.
BLOCK = 1000
# A vocabulary with more subsets of one size than this is sampled instead.
MAX_LISTED_SUBSETS = 5000


class Weighted:
    """A weighted choice made from one uniform draw in [0, 1)."""

    def __init__(self, choices: Sequence[tuple]):
        self.values = [choice[0] if len(choice) == 2 else choice for choice in choices]
        self.cumulative = list(itertools.accumulate(choice[-1] for choice in choices))

    def draw(self, uniform: float):
        index = bisect.bisect_right(self.cumulative, uniform * self.cumulative[-1])
        return self.values[min(index, len(self.values) - 1)]


class Terms:
    """A vocabulary's terms, and uniform draws of a given number of them (ordered by id)."""

    def __init__(self, terms: Sequence, rng: random.Random):
        self.terms = sorted(terms, key=lambda term: term.id)
        self.rng = rng
        self.subsets: dict[int, list[tuple] | None] = {}

    def draw(self, size: int) -> tuple:
        size = min(size, len(self.terms))
        if size not in self.subsets:
            listed = math.comb(len(self.terms), size) <= MAX_LISTED_SUBSETS
            self.subsets[size] = list(itertools.combinations(self.terms, size)) if listed else None
        subsets = self.subsets[size]
        if subsets is None:
            return tuple(sorted(self.rng.sample(self.terms, size), key=lambda term: term.id))
        return subsets[int(self.rng.random() * len(subsets))]


def pick(sequence: Sequence, uniform: float):
    return sequence[int(uniform * len(sequence))]


CITY = Weighted(CITIES)
GENDER = Weighted(GENDERS)
AVAILABILITY_STATE = Weighted(AVAILABILITY)
LICENCE_STATE = Weighted(LICENCE)
EXTRA_LANGUAGES = [0, 0, 0, 1, 1, 2]
PRONOUNS = ["she/her", "he/him", "they/them", ""]


class ListingGenerator:
    """Deterministic synthetic listings: the same seed gives the same sequence."""

    def __init__(self, seed: int, vocabularies: dict[str, dict], today: datetime.date):
        self.seed = seed
        self.next_number: int | None = None
        self.rng = random.Random(seed)
        self.random: Callable[[], float] = self.rng.random
        self.terms = {kind: Terms(terms.values(), self.rng) for kind, terms in vocabularies.items()}
        self.english = vocabularies["language"]["English"]
        self.other_languages = Terms(
            [term for term in vocabularies["language"].values() if term != self.english], self.rng
        )
        self.regions_by_name = vocabularies["region"]
        self.days_ago = [today - datetime.timedelta(days=days) for days in range(501)]
        self._bio_cache: dict[tuple, tuple[str, str]] = {}

    def _bio(self, specialty, approach, in_person: bool, online: bool) -> tuple[str, str]:
        """Bio Markdown and its HTML, rendered once per distinct bio (a few hundred)."""
        key = (specialty.name, approach.name, in_person, online)
        if key not in self._bio_cache:
            formats = {
                (True, True): "in person and online",
                (True, False): "in person",
                (False, True): "online",
            }[(in_person, online)]
            bio = (
                f"I help adults with **{key[0].lower()}**, drawing on {key[1]}. "
                f"Sessions are {formats}.\n\n"
                "*Synthetic listing generated for load testing.*"
            )
            self._bio_cache[key] = (bio, render_markdown(bio))
        return self._bio_cache[key]

    def _postal_code(self, country: str, prefix: str) -> str:
        r = self.random
        if country == "US":
            return f"{prefix}{int(r() * 100):02d}"
        return (
            f"{prefix}{pick('ABCEGHJ', r())} {1 + int(r() * 9)}{pick('KLMNPR', r())}"
            f"{1 + int(r() * 9)}"
        )

    def listing(self, number: int) -> NewListing:
        """Synthetic listing ``number``."""
        # Each block of listings from its own seed: listings made in any
        # order, or by several processes, are the same listings.
        if number != self.next_number:
            self.rng.seed(f"{self.seed}:{number // BLOCK}")
            for skipped in range(number - number % BLOCK, number):
                self._listing(skipped)
        elif number % BLOCK == 0:
            self.rng.seed(f"{self.seed}:{number // BLOCK}")
        self.next_number = number + 1
        return self._listing(number)

    def _listing(self, number: int) -> NewListing:
        """Long on purpose: a flat list of the listing's fields, each drawn from
        its own distribution; kept side by side they are easy to compare and
        to tune, and helpers would only scatter them.
        """
        r, terms = self.random, self.terms
        city, region, country, lat, lng, postal, area_code, _ = CITY.draw(r())
        surname = pick(SURNAME_STARTS, r()) + pick(SURNAME_ENDS, r())
        slug = f"{SLUG_PREFIX}{number:08d}"
        title, credentials = pick(TITLES, r())
        in_person = r() < 0.75
        online = r() < 0.7 or not in_person
        specialties = terms["specialty"].draw(2 + int(r() * 5))
        approaches = terms["approach"].draw(1 + int(r() * 4))
        bio, bio_html = self._bio(pick(specialties, r()), pick(approaches, r()), in_person, online)
        licence_status = LICENCE_STATE.draw(r())
        fee_min = fee_max = None
        if r() < 0.9:
            fee_min = 60 + 5 * int(r() * 29)
            fee_max = fee_min + 10 * int(r() * 13)
        fields = {
            "name": f"{pick(FIRST_NAMES, r())} {surname}",
            "slug": slug,
            "pronouns": pick(PRONOUNS, r()),
            "professional_title": title,
            "credentials": credentials,
            "gender": GENDER.draw(r()),
            "licence_type": credentials,
            "licence_number": f"SYN-{number:08d}",
            "licence_jurisdiction": region,
            "licence_status": licence_status,
            "licence_verified_on": (
                None if licence_status == "unverified" else pick(self.days_ago, r())
            ),
            "bio": bio,
            "bio_html": bio_html,
            "practice_name": f"{surname} {pick(PRACTICE_KINDS, r())}",
            "city": city,
            "region": region,
            "postal_code": self._postal_code(country, postal),
            "country": country,
            "latitude": round(lat - 0.2 + 0.4 * r(), 5),
            "longitude": round(lng - 0.25 + 0.5 * r(), 5),
            "in_person": in_person,
            "online": online,
            "availability": AVAILABILITY_STATE.draw(r()),
            "availability_confirmed_on": (None if r() < 0.08 else self.days_ago[int(r() * 181)]),
            "fee_min": fee_min,
            "fee_max": fee_max,
            "sliding_scale": r() < 0.35,
            "superbills": r() < 0.5,
            "website": f"https://example.com/{slug}",
            "email": f"{slug}@example.com",
            "phone": f"({area_code}) 555-01{int(r() * 100):02d}",
            "is_published": r() < 0.97,
        }
        return NewListing(fields, self._relations(specialties, approaches, country, region, online))

    def _relations(self, specialties, approaches, country, region, online) -> dict:
        r, terms = self.random, self.terms
        languages = (self.english,) if r() < 0.92 else ()
        languages += self.other_languages.draw(pick(EXTRA_LANGUAGES, r()))
        if not languages:
            languages = self.other_languages.draw(1)
        relations = {
            "specialties": specialties,
            "approaches": approaches,
            "languages": languages,
            "age_groups": terms["age_group"].draw(1 + int(r() * 3)),
            "communities_served": terms["community"].draw(int(r() * 5)),
            "communities_identifies": (
                terms["community"].draw(1 + int(r() * 2)) if r() < 0.3 else ()
            ),
            "faiths": terms["faith"].draw(1) if r() < 0.15 else (),
            "insurance_plans": (
                terms["insurance"].draw(int(r() * 4)) if country == "US" and r() < 0.7 else ()
            ),
            "telehealth_regions": (),
        }
        if online:
            own = self.regions_by_name.get(region)
            extra = terms["region"].draw(int(r() * 3))
            relations["telehealth_regions"] = tuple(
                self.regions_by_name[name]
                for name in sorted({term.name for term in [own, *extra] if term})
            )
        return relations
