"""The everyday words the finder's search box reads (therapists/finder/understanding.py)."""

from .codes import FORMAT_IN_PERSON, FORMAT_ONLINE

# Words that say "I want a therapist" but filter nothing, dropped once
# something else was understood ("ocd therapist" is the OCD filter alone).
FILLER_WORDS = frozenset(
    {
        *("a", "an", "and", "the", "for", "with", "who", "in", "near", "me", "my", "of"),
        *("or", "to", "someone", "that", "can", "help", "speak", "speaks", "speaking"),
        *("therapist", "therapy", "counselor", "counsellor", "counseling", "counselling"),
        *("psychologist", "psychotherapist", "provider", "doctor"),
    }
)
# Words too generic to name a term on their own ("therapy" in "Family systems therapy").
GENERIC_WORDS = FILLER_WORDS | frozenset(
    {
        *("people", "person", "health", "mental", "concern", "problem", "issue", "based"),
        *("care", "life", "work", "group", "family", "plan", "young", "older"),
    }
)
# What readers type -> the words of the term it means (compiled by hand from
# common usage; an alias whose target no term has is simply unused).
ALIASES = {
    "teenager": "teen",
    "adolescent": "teen",
    "kid": "children",
    "child": "children",
    "senior": "older adult",
    "elderly": "older adult",
    "lgbt": "lgbtq",
    "lgbtqia": "lgbtq",
    "gay": "lgbtq",
    "lesbian": "lgbtq",
    "queer": "lgbtq",
    "bisexual": "lgbtq",
    "trans": "transgender",
    "latino": "latine",
    "latina": "latine",
    "latinx": "latine",
    "hispanic": "latine",
    "asl": "american sign language",
    "sign language": "american sign language",
    "bereavement": "grief",
    "insomnia": "sleep",
    "addiction": "substance use",
    "alcohol": "substance use",
    "couple": "relationship",
    "marriage": "relationship",
    "postpartum": "perinatal",
    "eating disorder": "eating concern",
    "military": "veteran",
    "panic": "anxiety",
}
CHIP_LABELS = {
    "specialty": "Specialty",
    "approach": "Approach",
    "language": "Language",
    "community": "Community",
    "faith": "Faith",
    "age": "Age group",
    "insurance": "Insurance",
}
FORMAT_WORDS = {
    "online": FORMAT_ONLINE,
    "virtual": FORMAT_ONLINE,
    "telehealth": FORMAT_ONLINE,
    "video": FORMAT_ONLINE,
    "in person": FORMAT_IN_PERSON,
    "face to face": FORMAT_IN_PERSON,
}
