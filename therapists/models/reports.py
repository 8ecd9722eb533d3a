"""Readers' reports of outdated information on a listing."""

from django.db import models

from .listing import Therapist


class OutdatedInfoReport(models.Model):
    """A reader's note that something on a listing is wrong, kept for editors."""

    class Problem(models.TextChoices):
        AVAILABILITY = "availability", "Availability"
        CONTACT = "contact", "Contact details"
        FEES = "fees", "Fees"
        INSURANCE = "insurance", "Insurance"
        LICENCE = "licence", "Licence"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        NEW = "new", "New"
        RESOLVED = "resolved", "Resolved"

    therapist = models.ForeignKey(Therapist, on_delete=models.CASCADE, related_name="reports")
    problem = models.CharField("what is wrong", max_length=20, choices=Problem)
    details = models.TextField(max_length=2000, blank=True)
    reporter_email = models.EmailField(
        "your email (optional)",
        blank=True,
        help_text="Only if you are happy for an editor to contact you about this report.",
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.NEW)
    # A keyed hash of the reporter's IP address, never the address itself:
    # enough to rate-limit and spot floods, useless for identifying anyone.
    ip_hash = models.CharField("IP hash", max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "outdated information report"
        verbose_name_plural = "outdated information reports"
        indexes = [
            models.Index(fields=["status", "-created_at"], name="report_status_created_idx"),
        ]

    def __str__(self):
        return f"{self.get_problem_display()}: {self.therapist}"
