"""Admin change forms that keep the editor's input when saving fails.

Whatever goes wrong while saving (a database error, a renderer bug, a rule
raised below the form), the whole save is rolled back and the editor gets
the same form back with everything they typed and a message saying nothing
was saved, never a 500 page that loses an hour of writing.
"""

import logging

from django import forms
from django.core.exceptions import PermissionDenied, SuspiciousOperation, ValidationError
from django.db import transaction
from django.http import Http404

logger = logging.getLogger(__name__)

# What Django's own handlers answer with 403, 404 or 400: not failed saves.
NOT_SAVE_FAILURES = (PermissionDenied, Http404, SuspiciousOperation)

FAILED_SAVE_MESSAGE = (
    "Your changes were not saved: {reason} Everything you entered is still in the form "
    "below. Try saving again; if it keeps failing, copy your text somewhere safe and tell "
    "the site's administrators."
)


def failed_save_message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return FAILED_SAVE_MESSAGE.format(reason=" ".join(exc.messages))
    return FAILED_SAVE_MESSAGE.format(reason="something went wrong on our side.")


class KeepInputOnFailedSaveMixin:
    """Put first in a ModelAdmin's bases."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        try:
            # Django already saves in a transaction; this one also covers a
            # failure after it (logging, messages) so nothing half-saved stays.
            with transaction.atomic():
                return super().changeform_view(request, object_id, form_url, extra_context)
        except NOT_SAVE_FAILURES:
            raise
        except Exception as exc:
            logger.exception("Saving %s %s failed", self.model._meta.label, object_id or "(new)")
            request.failed_save_message = failed_save_message(exc)
        # The same POST again, now with a form that refuses to validate: Django
        # renders the change page with the editor's input and the message.
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        message = getattr(request, "failed_save_message", None)
        if message is None:
            return form

        class FailedSaveForm(form):
            def clean(self):
                super().clean()
                raise forms.ValidationError(message, code="save_failed")

        FailedSaveForm.__name__ = form.__name__
        return FailedSaveForm
