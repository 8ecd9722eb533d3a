"""The finder page's two large repeated parts, written in Python in one pass each.

The facet controls (about 110 checkboxes with their counts) and the 20 result
cards were ~2,000 template variable lookups, 62 ``{% include %}``s and 76
``date`` filters a request: two thirds of the page's CPU. Here each is one
loop of string formatting. The markup is byte for byte what the templates
gave (``tests/finder/test_rendering_golden.py``); the profile page still
renders the same stamps and fees from ``templates/therapists/includes/``, and
``tests/finder/test_rendering.py`` checks both write the same for every case.

Every value goes through ``html.escape``, which is what Django's ``escape``
does (without its lazy-string check, a third of the cost here); dates, fees
and distances through the same Django functions the templates' filters use
(``date``, ``intcomma``, ``floatformat``), dates and fees once per distinct
value and language in the process.
"""

import datetime
import functools
from html import escape

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from ..models import EffectiveAvailability, Therapist
from .cards import Card
from .presentation import OptionGroup

AVAILABILITY_LABELS = dict(EffectiveAvailability.choices)
LICENCE_LABELS = dict(Therapist.LicenceStatus.choices)
# What a reversed profile URL leaves of a slug (SlugField's characters): such
# a slug is put into the URL reversed once, any other is reversed itself.
SLUG_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
SLUG_PLACEHOLDER = "slug-placeholder"


def facet_controls(groups: list[OptionGroup]) -> SafeString:
    """Every checkbox group with options: a fieldset, a legend, one labelled checkbox each.

    An option whose count is 0 is disabled unless ticked, so it can be unticked.
    """
    parts = []
    for group in groups:
        if not group.options:
            continue
        key = escape(group.key)
        parts.append(
            f'\n      <fieldset class="finder__group" id="group-{key}">\n'
            f"        <legend>{escape(str(group.legend))}</legend>\n"
            '        <ul class="checklist">\n          '
        )
        for option in group.options:
            input_id = escape(option.input_id)
            state = " checked" if option.checked else "" if option.count else " disabled"
            parts.append(
                "\n          <li>\n"
                f'            <input type="checkbox" id="finder-{input_id}" name="{key}" '
                f'value="{escape(option.value)}"{state}>\n'
                f'            <label for="finder-{input_id}">{escape(str(option.label))} '
                f'<span class="count">({option.count})</span></label>\n'
                "          </li>\n          "
            )
        parts.append("\n        </ul>\n      </fieldset>\n      ")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


@functools.lru_cache(maxsize=4096)
def _time(day: datetime.date, language: str) -> str:
    """``<time>`` as the stamps template writes it (``language``: part of the cache key)."""
    return f'<time datetime="{format_date(day, "Y-m-d")}">{format_date(day, "M j, Y")}</time>'


@functools.lru_cache(maxsize=4096)
def _fee(value: int, language: str) -> str:
    return escape(intcomma(value))


class CardWriter:
    """Result cards for one page: the profile URL reversed once, formats memoised."""

    def __init__(self, *, from_results: str, fresh_cutoff: datetime.date):
        self.fresh_cutoff = fresh_cutoff
        self.query = f"?{escape(from_results)}" if from_results else ""
        reversed_url = reverse("therapists:detail", kwargs={"slug": SLUG_PLACEHOLDER})
        prefix, _, suffix = reversed_url.partition(SLUG_PLACEHOLDER)
        self.url_prefix, self.url_suffix = escape(prefix), escape(suffix)
        self.currency = escape(settings.THERAPIST_FEE_CURRENCY)
        self.language = get_language()

    def time(self, day: datetime.date) -> str:
        return _time(day, self.language)

    def fee(self, value: int) -> str:
        return _fee(value, self.language)

    def url(self, slug: str) -> str:
        if slug and SLUG_CHARACTERS.issuperset(slug):
            return f"{self.url_prefix}{slug}{self.url_suffix}"
        return escape(reverse("therapists:detail", kwargs={"slug": slug}))

    def cards(self, cards: list[Card]) -> SafeString:
        """The ``<li>`` of each card, between the results list's tags."""
        parts = [f"\n      <li>{self.card(card)}</li>\n      " for card in cards]
        return mark_safe("".join(parts))  # noqa: S308 - every value in a card is escaped

    def card(self, card: Card) -> str:
        title = ""
        if card.professional_title or card.pronouns:
            between = " · " if card.professional_title and card.pronouns else ""
            title = (
                f'<p class="therapist-card__title">{escape(card.professional_title)}'
                f"{between}{escape(card.pronouns)}</p>"
            )
        return (
            f'\n<article class="therapist-card" aria-labelledby="therapist-{card.pk}-name">\n'
            f'  <h3 id="therapist-{card.pk}-name" class="therapist-card__name">'
            f'<a href="{self.url(card.slug)}{self.query}">'
            f"{escape(card.name_with_credentials)}</a></h3>\n"
            f"  {title}\n"
            f'  <p class="therapist-card__place">{self.place(card)}</p>\n'
            f"  {self.stamps(card)}\n"
            '  <dl class="therapist-card__facts">\n'
            "    <dt>Sessions</dt>\n"
            f"    <dd>{sessions(card)}</dd>\n"
            "    <dt>Fees</dt>\n"
            f"    <dd>{self.fees(card)}</dd>\n"
            f"    {listed('Languages', card.languages)}\n"
            f"    {listed('Specialties', card.specialties)}\n"
            "  </dl>\n</article>\n"
        )

    def place(self, card: Card) -> str:
        practice = f"{escape(card.practice_name)}, " if card.practice_name else ""
        region = f", {escape(card.region)}" if card.region else ""
        distance = ""
        if card.distance_km is not None:
            distance = (
                ' · <span class="therapist-card__distance">'
                f"{escape(floatformat(card.distance_km, 1))} km away</span>"
            )
        return f"{practice}{escape(card.city)}{region}{distance}"

    def stamps(self, card: Card) -> str:
        """As templates/therapists/includes/stamps.html: availability, then licence."""
        confirmed = card.availability_confirmed_on
        if confirmed is None or confirmed < self.fresh_cutoff:
            value = EffectiveAvailability.UNKNOWN.value
            when = (
                f"last confirmed {self.time(confirmed)}, too long ago to rely on"
                if confirmed
                else "never confirmed"
            )
            date = f'<span class="stamp__date">{when}</span>\n    '
        else:
            value = card.availability
            date = f'<span class="stamp__date">confirmed {self.time(confirmed)}</span>'
        verified = card.licence_verified_on
        licence = f"verified {self.time(verified)}" if verified else "never verified"
        status = card.licence_status
        return (
            '\n<ul class="stamps">\n  \n'
            f'  <li class="stamp stamp--availability stamp--{escape(value)}">\n'
            f"    <strong>{escape(str(AVAILABILITY_LABELS.get(value, value)))}</strong>\n"
            f"    {date}\n  </li>\n  \n"
            f'  <li class="stamp stamp--licence stamp--{escape(status)}">\n'
            f"    <strong>Licence: {escape(str(LICENCE_LABELS.get(status, status)))}</strong>\n"
            f'    <span class="stamp__date">{licence}</span>\n'
            "  </li>\n</ul>\n"
        )

    def fees(self, card: Card) -> str:
        """As templates/therapists/includes/fees.html (which ends with a line break)."""
        low, high, currency = card.fee_min, card.fee_max, self.currency
        if low is not None and high is not None and low != high:
            fees = f"{self.fee(low)}–{self.fee(high)} {currency} per session"
        elif low is not None:
            fees = f"{self.fee(low)} {currency} per session"
        elif high is not None:
            fees = f"Up to {self.fee(high)} {currency} per session"
        else:
            fees = "Fees not stated"
        sliding = "; sliding scale available" if card.sliding_scale else ""
        return f"{fees}{sliding}\n"


def sessions(card: Card) -> str:
    if card.in_person and card.online:
        return "In person and online"
    if card.in_person:
        return "In person"
    return "online" if card.online else "Not stated"


def listed(term: str, names: list[str]) -> str:
    if not names:
        return ""
    return f"<dt>{term}</dt>\n    <dd>{', '.join(escape(name) for name in names)}</dd>"
