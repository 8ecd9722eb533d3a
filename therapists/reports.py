"""Readers' "report outdated information" form: spam guard and rate limit.

How the profile view uses it (the whole API)::

    from therapists.reports import ReportForm, submit_report

    # GET: an empty form
    context["report_form"] = ReportForm()

    # POST: validate, rate-limit, store
    outcome = submit_report(request, therapist)
    if outcome.ok:
        messages.success(request, outcome.message)
        return redirect(therapist.get_absolute_url() + "#report")
    # Not ok: re-render the profile with ``outcome.form`` (its errors say
    # why, including the rate-limit message as a non-field error) and
    # ``status=outcome.http_status`` (400 invalid, 429 rate-limited).

The template renders the honeypot field (``ReportForm.HONEYPOT_FIELD``) inside
an element with the ``honeypot`` CSS class, which static/css/site.css hides
from sighted readers and screen readers alike; its label says "leave empty"
for anyone who still meets it. Bots that fill it get the same thank-you as a
reader, but nothing is stored, so they learn nothing.

Nothing here raises on user input: bad input becomes form errors, and a
failing cache lets reports through rather than turning into a 500.
"""

import enum
import logging
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from mhsite.clientip import client_ip

from .models import OutdatedInfoReport, Therapist

logger = logging.getLogger(__name__)

RATE_LIMIT_MESSAGE = (
    "You have sent several reports in a short time, thank you. To keep the form "
    "free of spam we accept a few per hour; please try again later."
)
THANK_YOU_MESSAGE = "Thank you. An editor will check this listing."


class ReportForm(forms.ModelForm):
    HONEYPOT_FIELD = "homepage"

    homepage = forms.CharField(
        label="Leave this field empty",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = OutdatedInfoReport
        fields = ["problem", "details", "reporter_email"]
        labels = {"problem": "What is out of date?", "details": "Details (optional)"}
        widgets = {"details": forms.Textarea(attrs={"rows": 4})}

    def is_spam(self) -> bool:
        """True when the honeypot was filled in. Call after ``is_valid()``."""
        return bool(self.cleaned_data.get(self.HONEYPOT_FIELD, "").strip())


class ReportStatus(enum.StrEnum):
    SAVED = "saved"
    DISCARDED = "discarded"  # the honeypot was filled: thanked, not stored
    INVALID = "invalid"
    RATE_LIMITED = "rate_limited"


@dataclass
class ReportOutcome:
    status: ReportStatus
    form: ReportForm
    report: OutdatedInfoReport | None = None

    @property
    def ok(self) -> bool:
        """Whether to thank the reader (also true for discarded spam, on purpose)."""
        return self.status in (ReportStatus.SAVED, ReportStatus.DISCARDED)

    @property
    def http_status(self) -> int:
        return {ReportStatus.INVALID: 400, ReportStatus.RATE_LIMITED: 429}.get(self.status, 200)

    @property
    def message(self) -> str:
        return THANK_YOU_MESSAGE if self.ok else ""


def hash_ip(ip: str) -> str:
    """A keyed hash of an IP address: stable enough to rate-limit, not reversible."""
    return salted_hmac("therapists.reports.ip", ip, algorithm="sha256").hexdigest()


def _count_submission(key: str, limit: int, window: int) -> bool:
    """Count one submission under ``key``; False once ``limit`` is exceeded."""
    try:
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key)
        except ValueError:
            # The key expired between add() and incr().
            cache.set(key, 1, timeout=window)
            count = 1
    except Exception:
        # A cache outage must not turn a reader's report into a 500; the
        # honeypot still stands guard while it lasts.
        logger.exception("Report rate limit unavailable; letting the report through.")
        return True
    return count <= limit


def is_rate_limited(ip_hash: str, therapist: Therapist) -> bool:
    """Count a submission and say whether it is over either limit.

    Two limits: per reader and listing (``THERAPIST_REPORT_RATE_LIMIT``), and
    per reader across all listings (``THERAPIST_REPORT_RATE_LIMIT_PER_IP``),
    both per ``THERAPIST_REPORT_RATE_WINDOW_SECONDS``.
    """
    window = settings.THERAPIST_REPORT_RATE_WINDOW_SECONDS
    per_listing_ok = _count_submission(
        f"therapists:report:{ip_hash}:{therapist.pk}",
        settings.THERAPIST_REPORT_RATE_LIMIT,
        window,
    )
    overall_ok = _count_submission(
        f"therapists:report:{ip_hash}",
        settings.THERAPIST_REPORT_RATE_LIMIT_PER_IP,
        window,
    )
    return not (per_listing_ok and overall_ok)


def submit_report(request: HttpRequest, therapist: Therapist) -> ReportOutcome:
    """Validate ``request.POST`` as a report on ``therapist`` and store it.

    Only valid submissions (and honeypot hits) count towards the rate limit,
    so a reader correcting a typo in their email address is not locked out.
    """
    form = ReportForm(request.POST)
    if not form.is_valid():
        return ReportOutcome(ReportStatus.INVALID, form)
    ip_hash = hash_ip(client_ip(request) or "unknown")
    if is_rate_limited(ip_hash, therapist):
        form.add_error(None, RATE_LIMIT_MESSAGE)
        return ReportOutcome(ReportStatus.RATE_LIMITED, form)
    if form.is_spam():
        return ReportOutcome(ReportStatus.DISCARDED, form)
    report = form.save(commit=False)
    report.therapist = therapist
    report.ip_hash = ip_hash
    report.save()
    return ReportOutcome(ReportStatus.SAVED, form, report)
