"""review_reminders: each reviewer's due list, escalation to editors, once a day."""

import datetime
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from articles.management.commands import review_reminders
from articles.models import ReminderLog
from tests.factories import make_article
from tests.review_factories import make_reviewer_user, make_role_user

pytestmark = pytest.mark.django_db


def _due_in(days, reviewer, title):
    today = timezone.localdate()
    return make_article(
        title=title,
        assigned_reviewer=reviewer,
        last_reviewed=today - datetime.timedelta(days=365),
        next_review_due=today + datetime.timedelta(days=days),
    )


def _run():
    call_command("review_reminders", stdout=mock.MagicMock())


def test_each_reviewer_gets_their_own_due_list(settings):
    settings.REVIEW_ESCALATION_DAYS = 14
    _ana_user, ana = make_reviewer_user("ana")
    _ben_user, ben = make_reviewer_user("ben")
    _due_in(5, ana, "Sleep and mood")
    _due_in(-2, ana, "Panic attacks")
    _due_in(10, ben, "Grief")
    _due_in(200, ben, "Current article")
    _run()
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"ana@example.com", "ben@example.com"}
    assert "Sleep and mood" in by_recipient["ana@example.com"].body
    assert "Panic attacks" in by_recipient["ana@example.com"].body
    assert "Grief" not in by_recipient["ana@example.com"].body
    assert "Current article" not in by_recipient["ben@example.com"].body


def test_running_twice_the_same_day_sends_nothing_new():
    _user, ana = make_reviewer_user("ana")
    make_role_user("Editor", "editor")
    _due_in(-30, ana, "Long overdue")
    _run()
    first = len(mail.outbox)
    assert first == 2  # the reviewer and one escalation
    _run()
    assert len(mail.outbox) == first
    assert ReminderLog.objects.count() == 2


def test_the_next_day_reminders_go_out_again():
    _user, ana = make_reviewer_user("ana")
    _due_in(-1, ana, "Overdue")
    _run()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with mock.patch("django.utils.timezone.localdate", return_value=tomorrow):
        _run()
    assert len(mail.outbox) == 2


def test_escalates_to_editors_only_beyond_fourteen_days(settings):
    settings.REVIEW_ESCALATION_DAYS = 14
    _user, ana = make_reviewer_user("ana")
    make_role_user("Editor", "ed1")
    make_role_user("Editor", "ed2")
    make_role_user("Writer", "writer")
    _due_in(-14, ana, "Fourteen days")
    _run()
    assert [m.to for m in mail.outbox] == [["ana@example.com"]]
    mail.outbox.clear()
    _due_in(-15, ana, "Fifteen days")
    _run()  # the reviewer was reminded today already; editors now hear about it
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["ed1@example.com", "ed2@example.com"]
    assert "Fifteen days" in mail.outbox[0].body
    assert "Fourteen days" not in mail.outbox[0].body


def test_a_failed_send_is_retried_on_the_next_run():
    _user, ana = make_reviewer_user("ana")
    _due_in(-1, ana, "Overdue")
    failing_send = mock.patch(
        "articles.management.commands.review_reminders.send_mail", side_effect=OSError
    )
    with failing_send, pytest.raises(CommandError):
        _run()
    assert not ReminderLog.objects.exists()
    _run()
    assert len(mail.outbox) == 1


def test_one_failed_send_is_logged_and_the_others_still_go_out(caplog):
    _user, ana = make_reviewer_user("ana")
    _user, ben = make_reviewer_user("ben")
    make_role_user("Editor", "editor")
    _due_in(-1, ana, "Ana's article")
    _due_in(-30, ben, "Ben's article")  # also escalated to the editor
    real_send = review_reminders.send_mail

    def refuse_ana(subject, body, sender, recipients):
        if recipients == ["ana@example.com"]:
            raise smtplib.SMTPRecipientsRefused({"ana@example.com": (550, b"No such user")})
        return real_send(subject, body, sender, recipients)

    refusing = mock.patch.object(review_reminders, "send_mail", side_effect=refuse_ana)
    with refusing, pytest.raises(CommandError, match="1 reminder"):
        _run()
    assert sorted(m.to[0] for m in mail.outbox) == ["ben@example.com", "editor@example.com"]
    assert set(ReminderLog.objects.values_list("recipient", flat=True)) == {
        "ben@example.com",
        "editor@example.com",
    }
    assert "ana@example.com" in caplog.text
    mail.outbox.clear()
    _run()  # the failed one is retried, the others are not repeated
    assert [m.to for m in mail.outbox] == [["ana@example.com"]]


def test_editors_hear_about_due_articles_with_no_reviewer_assigned_once_a_day():
    _user, ana = make_reviewer_user("ana")
    make_role_user("Editor", "editor")
    _due_in(5, None, "Nobody is assigned")
    _due_in(-3, None, "Overdue and nobody assigned")
    _due_in(10, ana, "Ana has this one")
    _due_in(200, None, "Not due")
    _run()
    (to_editor,) = [m for m in mail.outbox if m.to == ["editor@example.com"]]
    assert "no reviewer is assigned" in to_editor.body
    assert "Nobody is assigned" in to_editor.body
    assert "Overdue and nobody assigned" in to_editor.body
    assert "Ana has this one" not in to_editor.body and "Not due" not in to_editor.body
    assert "2 with no reviewer assigned" in to_editor.subject
    sent = len(mail.outbox)
    _run()
    assert len(mail.outbox) == sent


def test_a_long_overdue_unassigned_article_is_listed_once(settings):
    settings.REVIEW_ESCALATION_DAYS = 14
    make_role_user("Editor", "editor")
    _due_in(-30, None, "Long overdue, nobody assigned")
    _run()
    (message,) = mail.outbox
    assert message.body.count("Long overdue, nobody assigned") == 1
    assert "assigned reviewer: none" in message.body
