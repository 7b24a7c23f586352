"""Mail never fails an action: it is queued in the action's transaction, the page says
when it could not go yet, and send_mail_queue sends it once the server is back."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cases.models import StaffSignal
from meldcode.outbox import MAX_ATTEMPTS, OutgoingMail, mail_queue, send_queued

DOWN = override_settings(MAILERS={"default": {"BACKEND": "tests.failing_mail.EmailBackend"}})
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
    assert waiting and all(row.attempts == 1 for row in waiting)
    assert {row.last_error for row in waiting} == {"ConnectionRefusedError"}
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
    assert row.body  # kept, for the application manager to look into


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
