"""Create the baseline's pages: an index, three short posts and one full article.

The demo text is fictional and deliberately general: it describes common
experiences and points readers to professionals, and gives no treatment advice.
"""

import datetime

from django.core.management.base import BaseCommand
from wagtail.models import Page, Site

from blog.models import (
    BlogCategory,
    BlogIndexPage,
    BlogPage,
    BlogPageFAQ,
    BlogPageReference,
    BlogPageRelatedLink,
)

SECTIONS = [
    (
        "What a restless night can feel like",
        "Many people know the pattern: the body is tired, yet the mind keeps turning over "
        "the day. An hour passes, then another, and worry about not sleeping adds to the "
        "wakefulness. A night like this now and then is common and usually passes on its "
        "own. When it happens most nights for several weeks, or when it comes with a low or "
        "anxious mood that does not lift, it is worth talking to someone who can look at the "
        "whole picture with you.",
    ),
    (
        "Why sleep and mood are connected",
        "Sleep and mood influence each other in both directions. A stressful period can make "
        "it harder to fall asleep, and a run of short nights can make everyday problems feel "
        "heavier. Researchers describe this as a cycle rather than a single cause, which is "
        "one reason why small, steady changes often help more than a dramatic overhaul. It "
        "also means that poor sleep is sometimes an early sign of something else, such as "
        "depression, anxiety, pain or a medical condition, that deserves its own attention.",
    ),
    (
        "Habits that many people find helpful",
        "Keeping a regular time to get up, even after a poor night, gives the body a steady "
        "rhythm to organise around. Daylight in the morning, some movement during the day and "
        "a wind-down period in the evening are simple steps that many readers describe as "
        "useful. Some people keep a notebook by the bed to write down tomorrow's tasks, so "
        "that they do not have to hold them in mind. None of these habits works overnight, "
        "and none of them is a test you can fail; they are experiments to try gently.",
    ),
    (
        "Screens, caffeine and alcohol",
        "Bright screens late at night, caffeine in the afternoon and alcohol in the evening "
        "can each make sleep lighter or shorter. Alcohol in particular may help someone fall "
        "asleep but often leads to waking later in the night. If you rely on any of these to "
        "get through the day or to switch off at night, a doctor or pharmacist can talk "
        "through safe ways to change that, especially if you also take prescribed medicine, "
        "since some combinations are not safe.",
    ),
    (
        "When worry keeps you awake",
        "Racing thoughts at bedtime are common during difficult periods. Some people find it "
        "helps to set aside a short worry time earlier in the evening, to write down what is "
        "on their mind and one small next step, and then to close the notebook. If you have "
        "been lying awake for a long time, getting up for a quiet, low-light activity and "
        "returning to bed when sleepy is a technique therapists often discuss. A therapist "
        "can adapt approaches like these to your situation.",
    ),
    (
        "How talking therapies can help",
        "Several talking therapies address sleep and mood together. Cognitive behavioural "
        "therapy for insomnia is a structured approach that a trained clinician can offer in "
        "person or online, and other therapies focus on the worries and low mood that keep "
        "the cycle going. A first appointment is usually a conversation about what has been "
        "happening, what you have already tried and what you would like to change. You do "
        "not need to have the right words prepared; describing an ordinary week is enough.",
    ),
    (
        "When to seek help promptly",
        "Please contact a doctor soon if poor sleep is affecting your safety, for example "
        "when driving, or if you notice loud snoring with pauses in breathing, a big change "
        "in appetite or weight, or a mood that has stayed low for more than two weeks. If you "
        "have thoughts of harming yourself, reach out for support straight away: call your "
        "local emergency number or a crisis line, or tell someone you trust. You deserve "
        "support, and asking for it is a sign of strength rather than weakness.",
    ),
    (
        "Supporting someone you live with",
        "If someone close to you is sleeping badly and seems low, a calm conversation at a "
        "quiet moment is often better than advice at bedtime. Ask how they are, listen "
        "without rushing to fix things, and offer practical help such as sharing chores "
        "during a hard week. Encourage them to speak with a professional, and remember that "
        "your own rest matters too: supporting someone is easier when you are looking after "
        "yourself as well.",
    ),
]

FAQS = [
    (
        "How much sleep does an adult need?",
        "Needs vary from person to person. Many adults feel best with around seven to nine "
        "hours, but how rested you feel during the day matters more than an exact number.",
    ),
    (
        "Should I take sleeping tablets?",
        "Only a doctor who knows your health history can advise on medicine. Some sleep "
        "medicines are meant for short-term use only, so please do not start or stop any "
        "medicine without professional advice.",
    ),
    (
        "Is it normal to wake up during the night?",
        "Brief awakenings are a normal part of sleep, and most people do not remember them. "
        "If long awakenings happen most nights, it is worth mentioning to a professional.",
    ),
    (
        "Can a therapist help with sleep problems?",
        "Yes. Some therapists specialise in sleep and in the worries or low mood that often "
        "come with it, and they can offer structured approaches suited to you.",
    ),
]

REFERENCES = [
    ("Example Sleep Foundation. Healthy sleep habits for adults. Fictional handout, 2024.", ""),
    (
        "A. Reader, B. Writer. Sleep and mood in everyday life. Journal of Demo Studies, 2023.",
        "https://example.org/sleep-and-mood",
    ),
    ("Demo Health Service. When to see a doctor about sleep. Patient leaflet, 2025.", ""),
    (
        "C. Author. Talking therapies for insomnia: an overview. Example Press, 2022.",
        "https://example.org/talking-therapies",
    ),
    ("Fictional Crisis Line. How to support someone who is struggling. Guide, 2024.", ""),
]


def rich(text: str) -> str:
    return f"<p>{text}</p>"


class Command(BaseCommand):
    help = "Create the baseline article (idempotent: prints the existing one's URL)."

    def handle(self, *args, **options):
        existing = BlogPage.objects.filter(slug="sleep-and-low-mood").first()
        if existing:
            self.stdout.write(existing.url)
            return
        root = Page.objects.get(depth=1)
        home = Page.objects.filter(depth=2).first()
        if home is None:
            home = root.add_child(instance=Page(title="Home", slug="home"))
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "port": 80, "root_page": home},
        )
        index = home.add_child(instance=BlogIndexPage(title="Articles", slug="articles"))
        names = ["Sleep", "Depression", "Anxiety", "Stress"]
        categories = [
            BlogCategory.objects.get_or_create(slug=name.lower(), defaults={"name": name})[0]
            for name in names
        ]
        today = datetime.date(2026, 11, 2)
        related = []
        for number, (title, text) in enumerate(SECTIONS[:3], start=1):
            post = BlogPage(
                title=title,
                slug=f"related-{number}",
                intro=text[:160],
                author_name="Demo Writer",
                published_on=today,
                body=[("paragraph", rich(text))],
            )
            related.append(index.add_child(instance=post))
        body = []
        for heading, text in SECTIONS:
            body.append(("heading", heading))
            body.append(("paragraph", rich(text)))
            body.append(("paragraph", rich(text)))
        article = BlogPage(
            title="Sleep and low mood: how they affect each other",
            slug="sleep-and-low-mood",
            intro="Why a run of short nights can make everything feel heavier, habits many "
            "people find helpful, and when to talk to a professional.",
            author_name="Dana Example, MSc",
            reviewer_name="Dr. Sam Placeholder, MD",
            last_reviewed=today,
            published_on=today,
            body=body,
            faqs=[BlogPageFAQ(question=q, answer=rich(a)) for q, a in FAQS],
            references=[BlogPageReference(citation=c, url=u) for c, u in REFERENCES],
            related_links=[BlogPageRelatedLink(target=target) for target in related],
            categories=categories[:3],
        )
        article = index.add_child(instance=article)
        article.save_revision().publish()
        self.stdout.write(article.url)
