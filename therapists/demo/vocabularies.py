"""The demo directory's vocabularies: the terms finder filters and listings use.

Terms are looked up by slug, so running the demo again, or after editors
renamed or described a term, changes nothing editors did.
"""

from django.utils.text import slugify

from ..models import (
    AgeGroup,
    Approach,
    Community,
    Faith,
    InsurancePlan,
    Language,
    Region,
    Specialty,
)
from .places import REGIONS

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
