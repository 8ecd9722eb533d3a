"""The zero-result report: which normalised queries found nothing, counted per week.

Only the query text and a weekly count are stored: no IP address, session,
user agent, cookie, user or exact time. Long runs of digits and anything that
looks like an email address are masked first, since readers sometimes type a
phone number or an address into a search box. Rows older than
``SEARCH_ZERO_RESULT_RETENTION_DAYS`` are deleted by ``purge_search_log``.
"""

import datetime
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import ZeroResultQuery
from .text import normalise

EMAIL_RE = re.compile(r"\S+@\S+")
DIGITS_RE = re.compile(r"[+(]?\d[\d\s().+-]{3,}\d")
MAX_LENGTH = ZeroResultQuery._meta.get_field("query").max_length


def report_text(query: str) -> str:
    text = EMAIL_RE.sub("[email]", normalise(query))
    text = DIGITS_RE.sub("[number]", text)
    return text[:MAX_LENGTH].strip()


def week_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def record_zero_result(query: str) -> None:
    text = report_text(query)
    if not text:
        return
    week = week_of(timezone.localdate())
    rows = ZeroResultQuery.objects.filter(query=text, week=week)
    if rows.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            ZeroResultQuery.objects.create(query=text, week=week, count=1)
    except IntegrityError:  # Another request created it first.
        rows.update(count=F("count") + 1)


def purge_old(today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=settings.SEARCH_ZERO_RESULT_RETENTION_DAYS)
    deleted, _ = ZeroResultQuery.objects.filter(week__lt=cutoff).delete()
    return deleted
