"""Mail never fails an action: it is queued in the action's transaction, the page says
when it could not go yet, and send_mail_queue sends it once the server is back."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cases.actions.models import ReminderSent
from cases.models import Case, StaffSignal
from cases.workflow import Step
from meldcode import outbox
from meldcode.outbox import MAX_ATTEMPTS, OutgoingMail, mail_queue, prune_sent, send_queued
from tests.cases.factories import make_case
from tests.failing_mail import REFUSED

DOWN = override_settings(MAILERS={"default": {"BACKEND": "tests.failing_mail.EmailBackend"}})
REFUSING = override_settings(MAILERS={"default": {"BACKEND": "tests.failing_mail.RefusingBackend"}})
DESCRIPTION = "Collega Pieters schreeuwde in de gang tegen een leerling van groep 4."


def file_staff_signal(client, cast):
    return client.post(
        reverse("cases:staff_signal_new"),
        {"concerns": cast.leerkracht_b.pk, "description": DESCRIPTION},
        follow=True,
    )


@pytest.mark.django_db(transaction=True)
def test_smtp_down_saves_the_action_once_and_the_mail_follows(cast, client_for):
    client = client_for(cast.leerkracht)
    mail.outbox.clear()  # the directie's mails about the cast's roles
    with DOWN:
        page = file_staff_signal(client, cast)
    assert page.status_code == 200
    assert "de e-mail hierover kon nog niet worden verstuurd" in page.text.lower()
    assert StaffSignal.objects.count() == 1
    waiting = list(OutgoingMail.objects.filter(sent_at__isnull=True))
    assert waiting
    # The page waited for one failure, not one per address; the others were left waiting.
    assert [row.attempts for row in waiting] == [1] + [0] * (len(waiting) - 1)
    assert waiting[0].last_error == "ConnectionRefusedError"
    assert len(mail.outbox) == 0

    # The server is back: the next run (here without waiting for the pause) sends them.
    call_command("send_mail_queue", "--retry-now", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == len(waiting)
    assert all(DESCRIPTION not in sent.body and "Pieters" not in sent.body for sent in mail.outbox)
    assert not OutgoingMail.objects.filter(sent_at__isnull=True).exists()
    assert set(OutgoingMail.objects.values_list("body", flat=True)) == {""}  # emptied
    call_command("send_mail_queue", "--retry-now", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == len(waiting)  # nothing twice
    assert StaffSignal.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_with_smtp_up_the_mail_goes_at_once_and_the_page_says_nothing(cast, client_for):
    page = file_staff_signal(client_for(cast.leerkracht), cast)
    assert "kon nog niet worden verstuurd" not in page.text
    assert mail.outbox and not OutgoingMail.objects.filter(sent_at__isnull=True).exists()


def test_a_failed_mail_waits_longer_each_time_and_is_given_up_at_last(db):
    [row] = mail_queue(
        subject="Meldcode: test", body="Inloggen: http://x", to=["a@example.invalid"]
    )
    pauses = []
    with DOWN:
        for _attempt in range(MAX_ATTEMPTS):
            send_queued(retry_now=True)
            row.refresh_from_db()
            pauses.append(row.next_attempt_at - timezone.now())
    assert row.failed and row.attempts == MAX_ATTEMPTS and row.sent_at is None
    assert pauses[1] > pauses[0] + dt.timedelta(seconds=30)
    assert send_queued(retry_now=True).sent == 0  # given up: not tried again
    assert row.body == ""  # its link (a password-reset token, say) does not stay either
    assert row.status == "opgegeven" and row.last_error == "ConnectionRefusedError"


def test_a_mail_that_waits_is_not_tried_before_its_pause_ends(db):
    [row] = mail_queue(subject="Meldcode: test", body="x", to=["a@example.invalid"])
    with DOWN:
        send_queued(ids=[row.pk])
    assert send_queued().sent == 0  # still pausing
    OutgoingMail.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert send_queued().sent == 1


def test_the_command_prints_counts_only(db, capsys):
    mail_queue(subject="Meldcode: geheim onderwerp", body="x", to=["wie@example.invalid"])
    call_command("send_mail_queue")
    out = capsys.readouterr().out
    assert "1 sent" in out and "wie@" not in out and "geheim" not in out


@pytest.mark.django_db(transaction=True)
def test_smtp_down_a_case_opens_once_and_the_ib_mail_follows(cast, client_for):
    client = client_for(cast.leerkracht)
    mail.outbox.clear()
    with DOWN:
        page = client.post(reverse("cases:new"), {"pupil": cast.pupil.pk}, follow=True)
    case = Case.objects.get()
    assert page.redirect_chain[-1][0] == case.get_absolute_url()
    assert "de e-mail hierover kon nog niet worden verstuurd" in page.text.lower()
    waiting = OutgoingMail.objects.filter(sent_at__isnull=True)
    assert set(waiting.values_list("to", flat=True)) == {cast.ib.email}
    call_command("send_mail_queue", "--retry-now", stdout=open("/dev/null", "w"))  # noqa: SIM115
    [sent] = mail.outbox
    assert sent.to == [cast.ib.email] and case.get_absolute_url() in sent.body
    assert cast.pupil.first_name not in sent.body and cast.pupil.last_name not in sent.body
    assert Case.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_attempt_that_breaks_unexpectedly_never_fails_the_action(cast, client_for, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the outbox itself broke")

    monkeypatch.setattr(outbox, "send_queued", broken)
    response = client_for(cast.leerkracht).post(reverse("cases:new"), {"pupil": cast.pupil.pk})
    assert response.status_code == 302
    assert Case.objects.count() == 1
    assert OutgoingMail.objects.filter(sent_at__isnull=True, attempts=0).exists()  # waits


def test_a_run_stops_at_a_server_that_is_down_and_leaves_the_rest_due(db):
    rows = mail_queue(
        subject="Meldcode: test", body="x", to=[f"{n}@example.invalid" for n in range(3)]
    )
    with DOWN:
        result = send_queued(retry_now=True)
    assert (result.sent, result.deferred, result.failed) == (0, 3, 0)
    attempts = OutgoingMail.objects.order_by("pk").values_list("attempts", flat=True)
    assert list(attempts) == [1, 0, 0]
    assert send_queued().sent == 2  # the untried ones are due at once; the first pauses
    assert {sent.to[0] for sent in mail.outbox} == {rows[1].to, rows[2].to}


def test_one_refused_address_does_not_hold_up_the_others(db):
    mail_queue(subject="Meldcode: test", body="x", to=[REFUSED, "b@example.invalid"])
    with REFUSING:
        result = send_queued(retry_now=True)
    assert (result.sent, result.deferred) == (1, 1)
    refused = OutgoingMail.objects.get(to=REFUSED)
    assert (refused.attempts, refused.last_error) == (1, "SMTPRecipientsRefused")
    assert refused.body == "x"  # it will be tried again


def test_the_attachment_goes_along_and_is_emptied_once_sent(db):
    [row] = mail_queue(
        subject="Meldcode: uitnodiging",
        body="x",
        to=["a@example.invalid"],
        attachment=("uitnodiging.ics", b"BEGIN:VCALENDAR", "text/calendar"),
    )
    assert send_queued().sent == 1
    [sent] = mail.outbox
    assert sent.attachments[0][:2] == ("uitnodiging.ics", "BEGIN:VCALENDAR")
    row.refresh_from_db()
    assert (row.body, row.attachment, row.status) == ("", None, "verstuurd")


def test_sent_and_given_up_mails_are_forgotten_after_a_month(db):
    sent, given_up, waiting = mail_queue(
        subject="Meldcode: test", body="x", to=[f"{n}@example.invalid" for n in range(3)]
    )
    month_ago = timezone.now() - dt.timedelta(days=31)
    OutgoingMail.objects.filter(pk=sent.pk).update(sent_at=month_ago, created_at=month_ago)
    OutgoingMail.objects.filter(pk=given_up.pk).update(failed=True, created_at=month_ago)
    OutgoingMail.objects.filter(pk=waiting.pk).update(created_at=month_ago)
    assert prune_sent() == 2
    assert list(OutgoingMail.objects.values_list("pk", flat=True)) == [waiting.pk]


def test_the_admin_lists_address_subject_and_status_never_the_text(admin_client):
    mail_queue(subject="Meldcode: een actie wacht", body="Geheime link", to=["a@example.invalid"])
    page = admin_client.get(reverse("admin:meldcode_outgoingmail_changelist")).text
    assert "a@example.invalid" in page and "een actie wacht" in page and "wacht nog" in page
    assert "Geheime link" not in page


def test_smtp_down_the_daily_reminder_is_recorded_once_and_follows(
    cast, django_capture_on_commit_callbacks
):
    make_case(step=Step.TALK, responsible=cast.ib, opened_by=cast.leerkracht, pupil=cast.pupil)
    mail.outbox.clear()
    with DOWN:
        for _run in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert ReminderSent.objects.filter(user=cast.ib).count() == 1
    [waiting] = OutgoingMail.objects.filter(to=cast.ib.email, sent_at__isnull=True)
    assert waiting.attempts == 1 and not mail.outbox
    call_command("send_mail_queue", "--retry-now", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [sent.to for sent in mail.outbox if sent.to == [cast.ib.email]] == [[cast.ib.email]]


@pytest.fixture
def silent_server():
    """A mail server that accepts the connection and never says a word."""
    import socket

    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    mailer = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": server.getsockname()[1], "timeout": 6},
    }
    yield mailer
    server.close()


@pytest.mark.django_db(transaction=True)
def test_the_attempt_at_commit_gives_a_silent_mail_server_3_seconds(silent_server):
    import time

    from django.db import transaction

    with override_settings(MAILERS={"default": silent_server}):
        started = time.monotonic()
        with transaction.atomic():
            mail_queue(subject="Meldcode", body="Er wacht een actie.", to=["af@example.invalid"])
        waited = time.monotonic() - started
    assert outbox.ON_COMMIT_TIMEOUT <= waited < 4
    row = OutgoingMail.objects.get()
    # smtplib reports the timeout while waiting for the greeting as a disconnection.
    assert (row.attempts, row.sent_at, row.last_error) == (1, None, "SMTPServerDisconnected")


@pytest.mark.django_db(transaction=True)
def test_the_queue_run_keeps_the_mailers_own_longer_timeout(silent_server):
    import time

    OutgoingMail.objects.create(to="af@example.invalid", subject="Meldcode", body="Actie.")
    with override_settings(MAILERS={"default": silent_server}):
        started = time.monotonic()
        call_command("send_mail_queue", stdout=open("/dev/null", "w"))  # noqa: SIM115
        waited = time.monotonic() - started
    assert waited >= 5.5  # the mailer's 6 seconds, not the 3 of the attempt at commit
    assert OutgoingMail.objects.get().last_error == "SMTPServerDisconnected"
