"""Review state in search ranking: at equal relevance, current before overdue before never.

Both expressions read ``last_reviewed`` and ``next_review_due``, which the
article and its search document (a copy) both have, so they apply to either.
"""

import datetime

from django.db.models import Case, FloatField, IntegerField, Q, Value, When
from django.db.models.functions import Cast
from django.utils import timezone

# 0 current (due soon included), 1 overdue, 2 never reviewed: the score's factor.
REVIEW_FACTORS = {0: 1.0, 1: 0.85, 2: 0.8}


def _states(today: datetime.date) -> list[tuple[Q, int]]:
    """The conditions for states 2 and 1, the first that holds wins; otherwise 0."""
    return [
        (Q(last_reviewed__isnull=True), 2),
        (Q(next_review_due__isnull=True), 2),
        (Q(next_review_due__lt=today), 1),
    ]


def review_order(today: datetime.date | None = None) -> Case:
    states = _states(today or timezone.localdate())
    return Case(
        *(When(condition, then=Value(rank)) for condition, rank in states),
        default=Value(0),
        output_field=IntegerField(),
    )


def review_factor(today: datetime.date | None = None) -> Case:
    states = _states(today or timezone.localdate())
    return Case(
        *(When(condition, then=_float(REVIEW_FACTORS[rank])) for condition, rank in states),
        default=_float(REVIEW_FACTORS[0]),
        output_field=FloatField(),
    )


def _float(factor: float) -> Cast:
    # Typed as a float in the SQL: a bare 0.85 is a PostgreSQL numeric, which
    # every match's score then converted to double precision (the same value).
    return Cast(Value(factor), FloatField())
