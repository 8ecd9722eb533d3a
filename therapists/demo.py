"""Demo content for the therapist directory: vocabularies and ~40 fictional listings.

Everyone here is invented: the surnames say so (Example, Sample, Placeholder,
...), contact details use example.com and the 555-01xx numbers reserved for
fiction, and every bio ends by saying it is a demo listing. Dates are relative
to today, so some claims are always fresh and some always stale, and the
finder's "unknown" state and the admin's "needs checking" filter have
something to show.

``load_demo_therapists`` is idempotent: it updates rows by slug and resets
their relations, so running it again leaves the same data.
"""

import datetime
from collections.abc import Callable
from typing import TextIO

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from .models import (
    AgeGroup,
    Approach,
    Community,
    Faith,
    InsurancePlan,
    Language,
    Region,
    Specialty,
    Therapist,
)

SPECIALTIES = {
    "Anxiety": "Worry, panic and fear that get in the way of daily life.",
    "Depression": "Low mood, loss of interest, and the tiredness that comes with them.",
    "Trauma and PTSD": "The lasting effects of frightening or overwhelming experiences.",
    "Grief and loss": "Bereavement and other losses, recent or long ago.",
    "Sleep problems": "Trouble falling or staying asleep, and its effect on the day.",
    "Burnout and work stress": "Exhaustion and strain from work or caregiving.",
    "Relationships": "Couples, family and friendship difficulties.",
    "OCD": "Intrusive thoughts and repetitive behaviours.",
    "Eating concerns": "Difficult relationships with food, eating and body image.",
    "Substance use": "Alcohol and drug use a person wants to change.",
    "ADHD": "Attention, organisation and impulsivity, in adults and young people.",
    "Life transitions": "Moves, new roles, retirement and other big changes.",
    "Perinatal mental health": "Mental health during pregnancy and after birth.",
    "Self-esteem": "A harsh inner critic and a shaky sense of worth.",
    "Chronic illness and pain": "Living well alongside long-term health conditions.",
}

# Which demo article categories (by name, case-insensitive) lead readers to
# which specialties. Only categories that exist are linked.
CATEGORY_SPECIALTIES = {
    "Anxiety": ["Anxiety", "OCD"],
    "Depression": ["Depression"],
    "Sleep": ["Sleep problems"],
    "Grief": ["Grief and loss"],
    "Burnout": ["Burnout and work stress"],
    "Relationships": ["Relationships"],
    "Trauma": ["Trauma and PTSD"],
}

APPROACHES = {
    "Cognitive behavioural therapy (CBT)": "How thoughts, feelings and actions affect each other.",
    "Dialectical behaviour therapy (DBT)": "Skills for strong emotions and relationships.",
    "Acceptance and commitment therapy (ACT)": "Making room for hard feelings, acting on values.",
    "Interpersonal therapy (IPT)": "Focusing on relationships and life roles.",
    "Psychodynamic therapy": "Understanding patterns that have roots in the past.",
    "EMDR": "A structured therapy for processing traumatic memories.",
    "Mindfulness-based therapy": "Practising attention to the present moment.",
    "Person-centred therapy": "A supportive space led by the client's own direction.",
    "Family systems therapy": "Looking at the family as a whole.",
    "Solution-focused therapy": "Brief work towards specific goals.",
    "CBT for insomnia (CBT-I)": "A structured programme for long-standing sleep problems.",
    "Exposure and response prevention (ERP)": "Gradually facing fears without rituals.",
}

LANGUAGES = [
    "English",
    "Spanish",
    "French",
    "Mandarin",
    "Cantonese",
    "Vietnamese",
    "Tagalog",
    "Arabic",
    "Hindi",
    "Korean",
    "Portuguese",
    "American Sign Language",
    "Somali",
    "Punjabi",
]

COMMUNITIES = [
    "LGBTQ+",
    "Transgender and non-binary people",
    "Black",
    "Latine",
    "East Asian",
    "South Asian",
    "Middle Eastern and North African",
    "Indigenous",
    "Immigrants and refugees",
    "Veterans and military families",
    "Deaf and hard of hearing",
    "Disabled people",
    "Healthcare workers",
    "First-generation students",
]

FAITHS = ["Buddhist", "Christian", "Hindu", "Jewish", "Muslim", "Sikh", "Secular"]

AGE_GROUPS = {
    "Children (5–12)": "children-5-12",
    "Teens (13–17)": "teens-13-17",
    "Young adults (18–25)": "young-adults-18-25",
    "Adults (26–64)": "adults-26-64",
    "Older adults (65+)": "older-adults-65",
}

# Public programmes plus obviously fictional private plans.
INSURANCE_PLANS = [
    "Medicaid",
    "Medicare",
    "Example Health PPO",
    "Sample Mutual HMO",
    "Placeholder Care EPO",
]

# (city, region, postal code, country, latitude, longitude)
CITIES = [
    ("Portland", "Oregon", "97205", "US", 45.5152, -122.6784),
    ("Seattle", "Washington", "98101", "US", 47.6062, -122.3321),
    ("Chicago", "Illinois", "60601", "US", 41.8781, -87.6298),
    ("Austin", "Texas", "78701", "US", 30.2672, -97.7431),
    ("Minneapolis", "Minnesota", "55401", "US", 44.9778, -93.2650),
    ("Boston", "Massachusetts", "02108", "US", 42.3601, -71.0589),
    ("Denver", "Colorado", "80202", "US", 39.7392, -104.9903),
    ("Toronto", "Ontario", "M5V 2T6", "CA", 43.6532, -79.3832),
]
REGIONS = sorted({city[1] for city in CITIES} | {"California", "British Columbia"})
AREA_CODES = {
    "Portland": "503",
    "Seattle": "206",
    "Chicago": "312",
    "Austin": "512",
    "Minneapolis": "612",
    "Boston": "617",
    "Denver": "303",
    "Toronto": "416",
}

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


def ensure_terms(model, names, descriptions: dict | None = None, slugs: dict | None = None) -> dict:
    """Get or create vocabulary terms by slug; return them by name.

    Existing terms are left as editors made them.
    """
    terms = {}
    for name in names:
        slug = (slugs or {}).get(name) or slugify(name)
        terms[name], _ = model.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "description": (descriptions or {}).get(name, "")},
        )
    return terms


def ensure_vocabularies() -> dict[str, dict]:
    """Get or create the demo vocabularies; return them by kind and name."""
    return {
        "specialty": ensure_terms(Specialty, SPECIALTIES, SPECIALTIES),
        "approach": ensure_terms(Approach, APPROACHES, APPROACHES),
        "language": ensure_terms(Language, LANGUAGES),
        "community": ensure_terms(Community, COMMUNITIES),
        "faith": ensure_terms(Faith, FAITHS),
        "age_group": ensure_terms(AgeGroup, AGE_GROUPS, slugs=AGE_GROUPS),
        "insurance": ensure_terms(InsurancePlan, INSURANCE_PLANS),
        "region": ensure_terms(Region, REGIONS),
    }


def link_article_categories(specialties: dict[str, Specialty]) -> int:
    """Map existing demo article categories to specialties; return links made.

    A specialty editors have already mapped is left alone.
    """
    from articles.models import Category

    unmapped = {
        name for name, specialty in specialties.items() if not specialty.article_categories.exists()
    }
    links = 0
    for category_name, specialty_names in CATEGORY_SPECIALTIES.items():
        category = Category.objects.filter(name__iexact=category_name).first()
        if category is None:
            continue
        for name in specialty_names:
            if name in unmapped:
                specialties[name].article_categories.add(category)
                links += 1
    return links


def _listing(index: int, today: datetime.date) -> tuple[dict, dict]:
    """The fields and relation names of demo listing number ``index``.

    Long on purpose: a flat list of one listing's fields, each from its own
    small rule on ``index``; kept side by side they are easy to compare and to
    change, and helpers would only scatter them.
    """
    surname = SURNAMES[index % len(SURNAMES)]
    name = _demo_name(index)
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


DEMO_COUNT = 40

RELATION_VOCABULARIES = {
    "specialties": "specialty",
    "approaches": "approach",
    "languages": "language",
    "age_groups": "age_group",
    "insurance_plans": "insurance",
    "communities_served": "community",
    "communities_identifies": "community",
    "faiths": "faith",
    "telehealth_regions": "region",
}


def load_demo_therapists(stdout: TextIO | None = None, *, update: bool = False) -> list[Therapist]:
    """Create the demo vocabularies and listings. Safe to run repeatedly.

    Listings that already exist are kept as editors left them, unless
    ``update`` is true, which resets them (and their stamp dates, relative to
    today) to the demo data.
    """
    write: Callable[[str], object] = stdout.write if stdout else (lambda message: None)
    today = timezone.localdate()
    therapists = []
    created = 0
    with transaction.atomic():
        vocabularies = ensure_vocabularies()
        links = link_article_categories(vocabularies["specialty"])
        existing = {t.slug: t for t in Therapist.objects.filter(slug__in=_demo_slugs())}
        for index in range(DEMO_COUNT):
            fields, relations = _listing(index, today)
            slug = fields.pop("slug")
            if slug in existing and not update:
                therapists.append(existing[slug])
                continue
            therapist, was_created = Therapist.objects.update_or_create(slug=slug, defaults=fields)
            created += was_created
            for relation, names in relations.items():
                terms = vocabularies[RELATION_VOCABULARIES[relation]]
                getattr(therapist, relation).set([terms[name] for name in names])
            therapists.append(therapist)
    kept = len(therapists) - created if not update else 0
    write(
        f"Demo therapist directory: {len(therapists)} listings ({created} new"
        + (f", {kept} kept as they were" if kept else "")
        + f"), {links} article category links.\n"
    )
    return therapists


def _demo_name(index: int) -> str:
    return f"{FIRST_NAMES[index % len(FIRST_NAMES)]} {SURNAMES[index % len(SURNAMES)]}"


def _demo_slugs() -> list[str]:
    return [slugify(_demo_name(index)) for index in range(DEMO_COUNT)]
