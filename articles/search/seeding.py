"""Synthetic articles for search benchmarks: ``seed_articles --count N``.

Every sentence is assembled here from short original phrases, so the text is
ours, repetitive in the way real health writing is (the same topics and
medicines recur), and about 1,000 words an article: five sections of three
paragraphs, two FAQs, one to three categories, review dates spread so some
reviews are current, some overdue and some missing. About one in ten is a
draft, so searches also have something to leave out.
"""

import datetime
import random
from dataclasses import dataclass

from django.utils import timezone

TOPICS = [
    "anxiety", "depression", "sleep", "insomnia", "grief", "burnout", "panic attacks",
    "social anxiety", "bipolar disorder", "obsessive thoughts", "trauma", "loneliness",
    "stress at work", "postnatal depression", "eating habits", "self-esteem", "anger",
    "attention and focus", "seasonal low mood", "caring for a parent",
]  # fmt: skip
MEDICINES = [
    "sertraline", "fluoxetine", "escitalopram", "citalopram", "bupropion", "mirtazapine",
    "venlafaxine", "duloxetine", "clonazepam", "lorazepam", "quetiapine", "lamotrigine",
    "lithium", "aripiprazole", "melatonin", "propranolol", "trazodone", "buspirone",
]  # fmt: skip
APPROACHES = [
    "cognitive behavioural therapy", "talking therapy", "mindfulness", "behavioural activation",
    "a support group", "exposure work", "problem-solving therapy", "family therapy",
    "guided self-help", "regular exercise", "a steady sleep routine", "journaling",
]  # fmt: skip
PEOPLE = [
    "many readers", "some people", "a parent", "a student", "an older adult", "a new employee",
    "a carer", "a partner", "a teenager", "a friend",
]  # fmt: skip
CATEGORY_NAMES = [
    "Anxiety", "Mood and depression", "Sleep", "Grief and loss", "Work and stress",
    "Medication", "Therapy", "Relationships", "Young people", "Self-care",
]  # fmt: skip
# Words that come with each topic, so articles differ the way real ones do.
TOPIC_WORDS = {
    "anxiety": "racing heart, restlessness, dread, tension, avoidance, reassurance",
    "depression": "low energy, hopelessness, tearfulness, withdrawal, appetite, motivation",
    "sleep": "bedtime, waking early, naps, caffeine, tiredness, screens",
    "insomnia": "lying awake, bedtime, sleep diary, wind-down, alarm, daytime fatigue",
    "grief": "loss, anniversaries, memories, numbness, funeral, yearning",
    "burnout": "exhaustion, cynicism, deadlines, workload, boundaries, recovery",
    "panic attacks": "breathlessness, chest tightness, dizziness, trembling, hot flushes",
    "social anxiety": "blushing, small talk, meetings, parties, judgement, rehearsing",
    "bipolar disorder": "mood episodes, mania, hypomania, routines, mood charts, relapse",
    "obsessive thoughts": "intrusive thoughts, checking, rituals, doubt, contamination",
    "trauma": "flashbacks, nightmares, hypervigilance, triggers, grounding, safety",
    "loneliness": "isolation, belonging, volunteering, neighbours, clubs, connection",
    "stress at work": "commuting, managers, deadlines, overtime, breaks, workload",
    "postnatal depression": "newborn, feeding, midwife, health visitor, bonding, exhaustion",
    "eating habits": "meals, snacking, appetite, cravings, regular meals, body image",
    "self-esteem": "self-criticism, confidence, comparison, kindness, achievements, perfectionism",
    "anger": "irritability, arguments, shouting, cooling off, triggers, resentment",
    "attention and focus": "distraction, lists, deadlines, procrastination, timers, hyperfocus",
    "seasonal low mood": "winter, daylight, light boxes, dark mornings, outdoor walks, vitamin",
    "caring for a parent": "dementia, appointments, respite, guilt, siblings, home care",
}
TOPIC_SENTENCES = [
    "{person} may notice {topic} slowly, long before it has a name.",
    "With {topic}, {detail} is often the first thing people mention.",
    "Talking to a clinician about {topic} is a reasonable first step, not a last resort.",
    "For {topic}, {approach} helps {person} more often than willpower alone.",
    "{person} might keep a short diary of {detail} to see when {topic} is better or worse.",
    "If {topic} starts to affect work, family or friendships, it is worth asking for help.",
    "Family and friends can help by listening to {person} without rushing to fix {topic}.",
    "Research on {approach} for {topic} is encouraging, though results vary between people.",
    "Setbacks with {topic} are common and do not mean that treatment has failed.",
    "Noticing {detail} early gives {person} more choices about what to do next.",
]
MEDICINE_SENTENCES = [
    "Some prescribers suggest {medicine}; the dose and the timing are decided together.",
    "It can take several weeks before {medicine} makes a noticeable difference.",
    "Side effects of {medicine} are usually mild and often settle; report any that concern you.",
    "Never stop {medicine} suddenly without talking to the person who prescribed it.",
]
GENERAL_SENTENCES = [
    "A good appointment ends with a plan and a date to review it.",
    "Small changes add up over a month or two.",
    "Write down your questions before the appointment so none are forgotten.",
    "Everyone's experience is different, and there is no single right way forward.",
    "Ask what the options are, what each involves and what happens if you wait.",
    "Kindness towards yourself makes the hard days easier to get through.",
]
HEADINGS = [
    "What {topic} can feel like", "Common signs of {topic}", "When to talk to someone",
    "Treatment options", "How {approach} can help", "Questions about {medicine}",
    "Looking after yourself", "Supporting someone with {topic}", "What the research says",
    "Planning your next steps",
]  # fmt: skip
FAQ_QUESTIONS = [
    "How long does {topic} last?", "Is {medicine} addictive?", "Can {approach} help with {topic}?",
    "Should I see a doctor about {topic}?", "What if {medicine} does not work for me?",
]  # fmt: skip


@dataclass
class SyntheticArticle:
    title: str
    slug: str
    summary: str
    body: str
    faqs: list[tuple[str, str]]
    categories: list[str]
    published: bool
    last_reviewed: datetime.date | None
    published_at: datetime.datetime


def _fill(rng: random.Random, template: str, topic: str, medicine: str = "") -> str:
    text = template.format(
        topic=topic,
        detail=rng.choice(TOPIC_WORDS[topic].split(", ")),
        person=rng.choice(PEOPLE),
        approach=rng.choice(APPROACHES),
        medicine=medicine or rng.choice(MEDICINES),
    )
    return text[0].upper() + text[1:]


def _paragraph(rng: random.Random, topic: str, medicines: list[str]) -> str:
    sentences = []
    for _ in range(5):
        kind = rng.random()
        if medicines and kind < 0.15:
            sentences.append(
                _fill(rng, rng.choice(MEDICINE_SENTENCES), topic, rng.choice(medicines))
            )
        elif kind < 0.75:
            sentences.append(_fill(rng, rng.choice(TOPIC_SENTENCES), topic))
        else:
            sentences.append(rng.choice(GENERAL_SENTENCES))
    return " ".join(sentences)


def synthetic_article(rng: random.Random, number: int) -> SyntheticArticle:
    topic, second = rng.sample(TOPICS, 2)
    # About a third of articles discuss medicines, one or two each.
    medicines = rng.sample(MEDICINES, rng.randint(1, 2)) if rng.random() < 0.35 else []
    first_medicine = medicines[0] if medicines else ""
    headings = [h for h in HEADINGS if medicines or "{medicine}" not in h]
    questions = [q for q in FAQ_QUESTIONS if medicines or "{medicine}" not in q]
    sections = []
    for heading in rng.sample(headings, 5):
        paragraphs = [
            _paragraph(rng, rng.choice((topic, topic, second)), medicines) for _ in range(3)
        ]
        sections.append(
            f"## {_fill(rng, heading, topic, first_medicine)}\n\n" + "\n\n".join(paragraphs)
        )
    today = timezone.localdate()
    review_age = rng.choice([None, 20, 90, 200, 300, 500, 800])
    return SyntheticArticle(
        title=f"{topic.capitalize()} and {second}: a practical guide ({number})",
        slug=f"synthetic-article-{number}",
        summary=_fill(rng, rng.choice(TOPIC_SENTENCES), topic)[:300],
        body="Synthetic article for benchmarks.\n\n" + "\n\n".join(sections) + "\n",
        faqs=[
            (_fill(rng, q, topic, first_medicine), _paragraph(rng, topic, medicines))
            for q in rng.sample(questions, 2)
        ],
        categories=rng.sample(CATEGORY_NAMES, rng.randint(1, 3)),
        published=rng.random() > 0.1,
        last_reviewed=None if review_age is None else today - datetime.timedelta(review_age),
        published_at=timezone.now() - datetime.timedelta(days=rng.randint(1, 2000)),
    )
