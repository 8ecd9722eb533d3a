"""The fields of each fictional demo listing, each from a small rule on its number."""

import datetime

from django.utils.text import slugify

from ..models import Therapist
from .places import AREA_CODES, CITIES, REGIONS
from .vocabularies import (
    AGE_GROUPS,
    APPROACHES,
    COMMUNITIES,
    FAITHS,
    INSURANCE_PLANS,
    LANGUAGES,
    SPECIALTIES,
)

DEMO_COUNT = 40

FIRST_NAMES = [
    "Avery", "Jordan", "Amara", "Diego", "Mei", "Riley", "Kwame", "Lucía", "Wei", "Fatima",
    "Tomás", "Hana", "Priya", "Samuel", "Noor", "Elena", "Dev", "Aiyana", "Malik", "Sofia",
    "Linh", "Gabriel", "Rosa", "Yusuf", "Ingrid", "Tariq", "Camila", "Jun", "Ada", "Mateo",
    "Zainab", "Oren", "Leilani", "Harpreet", "Bea", "Kofi", "Marisol", "Rafael", "Sun", "Eli",
]  # fmt: skip
SURNAMES = ["Example", "Sample", "Placeholder", "Demo", "Fictional"]

TITLES = [
    ("Licensed Clinical Social Worker", "LCSW", "LCSW"),
    ("Licensed Professional Counselor", "LPC", "LPC"),
    ("Licensed Marriage and Family Therapist", "LMFT", "LMFT"),
    ("Clinical Psychologist", "PhD", "Psychologist"),
    ("Psychiatric Nurse Practitioner", "PMHNP-BC", "APRN"),
    ("Registered Psychotherapist", "RP", "RP"),
]

PRONOUNS = ["she/her", "he/him", "they/them", "she/they", "", "he/they"]
GENDERS = [
    ("woman", "Woman"),
    ("man", "Man"),
    ("non_binary", "Non-binary"),
    ("woman", ""),
    ("", ""),
    ("man", "Trans man"),
    ("genderqueer", "Genderqueer"),
]

# Days since availability was confirmed: fresh, due for a check, and stale
# (over the default 60 days, so shown as "unknown").
AVAILABILITY_AGES = [2, 6, 12, 20, 27, 34, 45, 58, 75, 110, None]
LICENCE_AGES = [15, 40, 90, 150, 210, 300, 420, None]


def _rotate(items: list, index: int, count: int) -> list:
    return [items[(index + step * 3) % len(items)] for step in range(count)]


def _bio(specialties: list[str], approaches: list[str], in_person: bool, online: bool) -> str:
    focus = " and ".join(name.lower() for name in specialties[:2])
    methods = " and ".join(approaches[:2])
    if in_person and online:
        formats = "We can meet in my office or by video, whichever suits you better."
    elif online:
        formats = "I see clients by video or phone only."
    else:
        formats = "Sessions take place in my office."
    return (
        f"I work with people living with {focus}. My approach draws on {methods}, "
        "adapted to what each person wants from therapy.\n\n"
        "A first session is mostly about getting to know you: what brings you here, "
        "what has helped before, and what you would like to change. You are welcome to "
        f"ask me anything about how I work. {formats}\n\n"
        "*This is a fictional listing created for the demo site.*"
    )


def demo_listing(index: int, today: datetime.date) -> tuple[dict, dict]:
    """The fields and relation names of demo listing number ``index``.

    Long on purpose: a flat list of one listing's fields, each from its own
    small rule on ``index``; kept side by side they are easy to compare and to
    change, and helpers would only scatter them.
    """
    surname = SURNAMES[index % len(SURNAMES)]
    name = demo_name(index)
    slug = slugify(name)
    city, region, postal_code, country, lat, lng = CITIES[index % len(CITIES)]
    title, credentials, licence_type = TITLES[index % len(TITLES)]
    if country == "CA":
        title, credentials, licence_type = TITLES[5]
    gender, gender_identity = GENDERS[index % len(GENDERS)]
    in_person = index % 5 != 1
    online = index % 4 != 2
    availability = [
        Therapist.Availability.ACCEPTING,
        Therapist.Availability.ACCEPTING,
        Therapist.Availability.WAITLIST,
        Therapist.Availability.NOT_ACCEPTING,
    ][index % 4]
    availability_age = AVAILABILITY_AGES[index % len(AVAILABILITY_AGES)]
    licence_age = LICENCE_AGES[index % len(LICENCE_AGES)]
    if licence_age is None:
        licence_status = Therapist.LicenceStatus.UNVERIFIED
    elif index % 13 == 7:
        licence_status = Therapist.LicenceStatus.EXPIRED
    elif index == 22:
        licence_status = Therapist.LicenceStatus.NOT_FOUND
    else:
        licence_status = Therapist.LicenceStatus.ACTIVE
    fee_min = None if index % 9 == 4 else 70 + (index * 15) % 110
    fee_max = None if fee_min is None else fee_min + 20 + (index * 10) % 60
    specialties = _rotate(list(SPECIALTIES), index, 2 + index % 3)
    approaches = _rotate(list(APPROACHES), index, 1 + index % 3)
    languages = ["English"] if country == "US" or index % 2 else ["English", "French"]
    if index % 3 == 0:
        languages.append(LANGUAGES[1 + index % (len(LANGUAGES) - 1)])
    # Slightly spread around the city centre so "nearest" has an order.
    offset = ((index * 7) % 11 - 5) / 100
    fields = {
        "name": name,
        "pronouns": PRONOUNS[index % len(PRONOUNS)],
        "professional_title": title,
        "credentials": credentials,
        "gender": gender,
        "gender_identity": gender_identity,
        "licence_type": licence_type,
        "licence_number": f"DEMO-{1000 + index * 37}",
        "licence_jurisdiction": region,
        "licence_status": licence_status,
        "licence_verified_on": (
            None if licence_age is None else today - datetime.timedelta(days=licence_age)
        ),
        "licence_source_url": (
            "" if licence_age is None else f"https://example.com/licence-register/{slug}"
        ),
        "bio": _bio(specialties, approaches, in_person, online),
        "practice_name": f"{surname} {['Counselling', 'Therapy Studio', 'Wellbeing'][index % 3]}",
        "address_line": "" if index % 6 == 5 else f"{100 + index * 12} Example Street",
        "city": city,
        "region": region,
        "postal_code": postal_code,
        "country": country,
        "latitude": round(lat + offset, 4),
        "longitude": round(lng - offset, 4),
        "in_person": in_person,
        "online": online,
        "availability": availability,
        "availability_confirmed_on": (
            None if availability_age is None else today - datetime.timedelta(days=availability_age)
        ),
        "fee_min": fee_min,
        "fee_max": fee_max,
        "sliding_scale": index % 3 == 1,
        "superbills": index % 2 == 0,
        "website": f"https://example.com/{slug}" if index % 4 != 3 else "",
        "email": f"{slug}@example.com" if index % 5 != 3 else "",
        "phone": f"({AREA_CODES[city]}) 555-01{index % 100:02d}",
        # Two drafts, so the unpublished state is visible in the admin.
        "is_published": index not in (17, 33),
    }
    relations = {
        "specialties": specialties,
        "approaches": approaches,
        "languages": languages,
        "age_groups": _rotate(list(AGE_GROUPS), index, 1 + index % 3),
        "insurance_plans": (
            [] if country == "CA" or index % 4 == 1 else _rotate(INSURANCE_PLANS, index, 2)
        ),
        "communities_served": _rotate(COMMUNITIES, index, index % 4),
        # Opt-in: most listings share nothing about their own identity.
        "communities_identifies": (
            [COMMUNITIES[(index * 5) % len(COMMUNITIES)]] if index % 3 == 2 else []
        ),
        "faiths": [FAITHS[index % len(FAITHS)]] if index % 4 == 0 else [],
        "telehealth_regions": (sorted({region, REGIONS[index % len(REGIONS)]}) if online else []),
    }
    return {"slug": slug, **fields}, relations


def demo_name(index: int) -> str:
    return f"{FIRST_NAMES[index % len(FIRST_NAMES)]} {SURNAMES[index % len(SURNAMES)]}"


def demo_slugs() -> list[str]:
    return [slugify(demo_name(index)) for index in range(DEMO_COUNT)]
