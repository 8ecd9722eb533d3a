"""Generate synthetic therapist listings for benchmarks: ``seed_therapists --count N``.

Listings are written in batches, one transaction per batch, by
``therapists.seeding.insert_listings``: on PostgreSQL with ``COPY``, each row
written once with its search vector and ``finder_terms`` already computed;
elsewhere with ``bulk_create``. The same ``--seed`` on the same database state
gives the same listings. Every synthetic listing's slug
starts with ``synthetic-``, its bio says it is synthetic, and its contact
details are example.com / 555-01xx.
"""

import datetime
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from mhsite.markdown import render_markdown
from therapists.demo import ensure_terms, ensure_vocabularies
from therapists.models import Region, Therapist
from therapists.seeding import NewListing, insert_listings, vacuum_count_tables

SLUG_PREFIX = "synthetic-"
# One transaction per batch. Larger batches (fewer statements for the
# finder's pair-count triggers, migration 0009) were not consistently faster
# (bench/findings.md).
DEFAULT_BATCH_SIZE = 2000
MAX_BATCH_SIZE = 10_000

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


def _weighted(rng: random.Random, choices: list[tuple[str, int]]) -> str:
    return rng.choices([value for value, _ in choices], [weight for _, weight in choices])[0]


class ListingGenerator:
    """Deterministic synthetic listings: the same seed gives the same sequence."""

    def __init__(self, seed: int, vocabularies: dict[str, dict], today: datetime.date):
        self.rng = random.Random(seed)
        self.today = today
        self.terms = {kind: list(terms.values()) for kind, terms in vocabularies.items()}
        self.english = vocabularies["language"]["English"]
        self.other_languages = [term for term in self.terms["language"] if term != self.english]
        self.regions_by_name = vocabularies["region"]
        self._bio_cache: dict[tuple, tuple[str, str]] = {}

    def _sample(self, kind: str, low: int, high: int) -> list:
        return self.rng.sample(self.terms[kind], self.rng.randint(low, high))

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

    def _days_ago(self, low: int, high: int) -> datetime.date:
        return self.today - datetime.timedelta(days=self.rng.randint(low, high))

    def listing(self, number: int) -> NewListing:
        """Synthetic listing ``number``.

        Long on purpose: a flat list of the listing's fields, each drawn from
        its own distribution; kept side by side they are easy to compare and
        to tune, and helpers would only scatter them.
        """
        rng = self.rng
        city, region, country, lat, lng, postal, area_code, _ = rng.choices(CITIES, CITY_WEIGHTS)[0]
        first = rng.choice(FIRST_NAMES)
        surname = rng.choice(SURNAME_STARTS) + rng.choice(SURNAME_ENDS)
        slug = f"{SLUG_PREFIX}{number:08d}"
        title, credentials = rng.choice(TITLES)
        in_person = rng.random() < 0.75
        online = rng.random() < 0.7 or not in_person
        specialties = self._sample("specialty", *RELATIONS["specialties"][1])
        approaches = self._sample("approach", *RELATIONS["approaches"][1])
        bio, bio_html = self._bio(specialties[0], approaches[0], in_person, online)
        licence_status = _weighted(rng, LICENCE)
        fee_min = fee_max = None
        if rng.random() < 0.9:
            fee_min = rng.randrange(60, 205, 5)
            fee_max = fee_min + rng.randrange(0, 130, 10)
        postal_code = (
            f"{postal}{rng.randint(0, 99):02d}"
            if country == "US"
            else f"{postal}{rng.choice('ABCEGHJ')} {rng.randint(1, 9)}{rng.choice('KLMNPR')}"
            f"{rng.randint(1, 9)}"
        )
        fields = {
            "name": f"{first} {surname}",
            "slug": slug,
            "pronouns": rng.choice(["she/her", "he/him", "they/them", ""]),
            "professional_title": title,
            "credentials": credentials,
            "gender": _weighted(rng, GENDERS),
            "licence_type": credentials,
            "licence_number": f"SYN-{number:08d}",
            "licence_jurisdiction": region,
            "licence_status": licence_status,
            "licence_verified_on": (
                None if licence_status == "unverified" else self._days_ago(0, 500)
            ),
            "bio": bio,
            "bio_html": bio_html,
            "practice_name": f"{surname} {rng.choice(PRACTICE_KINDS)}",
            "city": city,
            "region": region,
            "postal_code": postal_code,
            "country": country,
            "latitude": round(lat + rng.uniform(-0.2, 0.2), 5),
            "longitude": round(lng + rng.uniform(-0.25, 0.25), 5),
            "in_person": in_person,
            "online": online,
            "availability": _weighted(rng, AVAILABILITY),
            "availability_confirmed_on": None if rng.random() < 0.08 else self._days_ago(0, 180),
            "fee_min": fee_min,
            "fee_max": fee_max,
            "sliding_scale": rng.random() < 0.35,
            "superbills": rng.random() < 0.5,
            "website": f"https://example.com/{slug}",
            "email": f"{slug}@example.com",
            "phone": f"({area_code}) 555-01{rng.randint(0, 99):02d}",
            "is_published": rng.random() < 0.97,
        }
        languages = [self.english] if rng.random() < 0.92 else []
        languages += rng.sample(self.other_languages, rng.choice([0, 0, 0, 1, 1, 2]))
        if not languages:
            languages = [rng.choice(self.other_languages)]
        relations = {
            "specialties": specialties,
            "approaches": approaches,
            "languages": languages,
            "age_groups": self._sample("age_group", *RELATIONS["age_groups"][1]),
            "communities_served": self._sample("community", *RELATIONS["communities_served"][1]),
            "communities_identifies": (
                self._sample("community", 1, 2) if rng.random() < 0.3 else []
            ),
            "faiths": self._sample("faith", 1, 1) if rng.random() < 0.15 else [],
            "insurance_plans": (
                self._sample("insurance", 0, 3) if country == "US" and rng.random() < 0.7 else []
            ),
            "telehealth_regions": [],
        }
        if online:
            own = self.regions_by_name.get(region)
            extra = self._sample("region", 0, 2)
            relations["telehealth_regions"] = [
                self.regions_by_name[name]
                for name in sorted({term.name for term in [own, *extra] if term})
            ]
        return NewListing(fields, relations)


class Command(BaseCommand):
    help = (
        "Generate N synthetic therapist listings (batched bulk inserts, deterministic with "
        "--seed) for benchmarks. Creates the demo vocabularies if they are missing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="How many listings.")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"Listings per transaction (default {DEFAULT_BATCH_SIZE:,}).",
        )
        parser.add_argument("--seed", type=int, default=42, help="Random seed (default 42).")

    def handle(self, *args, count, batch_size, seed, **options):
        if count < 1:
            raise CommandError("--count must be a positive number of listings.")
        if not 1 <= batch_size <= MAX_BATCH_SIZE:
            raise CommandError(f"--batch-size must be between 1 and {MAX_BATCH_SIZE}.")
        started = time.monotonic()
        vocabularies = ensure_vocabularies()
        vocabularies["region"] |= ensure_terms(Region, sorted({city[1] for city in CITIES}))
        first_number = self._next_number()
        # Seeded with the starting number too, so a second run with the same
        # seed adds different listings rather than near-duplicates.
        generator = ListingGenerator(
            seed * 1_000_003 + first_number, vocabularies, timezone.localdate()
        )
        done = 0
        relation_rows = 0
        while done < count:
            size = min(batch_size, count - done)
            listings = [generator.listing(first_number + done + i) for i in range(size)]
            # One transaction per batch: an interrupted seed keeps every
            # batch already written and none of the one in progress.
            with transaction.atomic():
                relation_rows += insert_listings(listings)
            vacuum_count_tables()
            done += size
            self._progress(done, count, started)
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Created {count:,} synthetic listings and {relation_rows:,} relation rows "
            f"in {elapsed:.1f}s ({count / elapsed:,.0f} listings/s)."
        )

    def _next_number(self) -> int:
        last = (
            Therapist.objects.filter(slug__startswith=SLUG_PREFIX)
            .order_by("-slug")
            .values_list("slug", flat=True)
            .first()
        )
        if last is None:
            return 1
        try:
            return int(last.removeprefix(SLUG_PREFIX)) + 1
        except ValueError:
            return Therapist.objects.filter(slug__startswith=SLUG_PREFIX).count() + 1

    def _progress(self, done: int, total: int, started: float) -> None:
        width = 30
        filled = width * done // total
        bar = "#" * filled + "-" * (width - filled)
        line = (
            f"[{bar}] {100 * done // total:3d}% {done:,}/{total:,} "
            f"{time.monotonic() - started:.1f}s"
        )
        interactive = getattr(self.stdout._out, "isatty", lambda: False)()
        if interactive:
            self.stdout.write(f"\r{line}", ending="\n" if done == total else "")
        else:
            self.stdout.write(line)
        self.stdout.flush()
