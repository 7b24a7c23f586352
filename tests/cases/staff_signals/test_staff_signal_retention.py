"""A closed staff signal is kept for the board's term (five years after closing unless the
board sets another), then purged with its actions and pupil links, leaving a purge record
without content; an open signal is never purged; the seals still verify."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from cases.models import StaffSignal, StaffSignalAction, StaffSignalPupil, StaffSignalPurgeRecord
from cases.seal import dossier_verify
from cases.staff_signals.services import (
    expired_staff_signals,
    staff_signal_expires_on,
    staff_signal_file,
    staff_signal_link_pupil,
    staff_signal_purge,
    staff_signal_record_action,
)
from tests.clock import today
from tests.tamper import as_owner

# The purge runs as the owner role (CI's app-role run reconnects): commit first.
pytestmark = pytest.mark.django_db(transaction=True)

NAME = "Vrijwilliger Vergeetnietje"


def file(cast, name=NAME):
    return staff_signal_file(
        school=cast.school, concerns_name=name, concerns_role="vrijwilliger",
        description="Zorgelijk gedrag bij de schoolreis.", by=cast.leerkracht,
    )  # fmt: skip


@pytest.fixture
def closed(cast):
    signal = file(cast)
    staff_signal_link_pupil(signal=signal, pupil=cast.pupil, by=cast.bestuur)
    for kind, suspicion in (("inspector", "no"), ("closed", "")):
        staff_signal_record_action(
            signal=signal, kind=kind, suspicion=suspicion, note="Vastgelegd.", by=cast.bestuur
        )
    return signal


def test_the_default_term_is_five_years_after_closing(cast, closed):
    assert cast.board.staff_signal_retention_years == 5
    assert staff_signal_expires_on(closed) == today().replace(year=today().year + 5)


def test_an_expired_signal_is_purged_with_everything_it_holds(cast, closed):
    other = file(cast, name="Stagiair Blijftbestaan")
    later = today().replace(year=today().year + 5) + dt.timedelta(days=1)
    assert expired_staff_signals(today()) == []
    assert expired_staff_signals(later) == [closed]
    with as_owner():
        record = staff_signal_purge(closed, today=later)
    assert not StaffSignal.objects.filter(pk=closed.pk).exists()
    assert not StaffSignalAction.objects.filter(signal_id=closed.pk).exists()
    assert not StaffSignalPupil.objects.exists()
    assert StaffSignal.objects.filter(pk=other.pk).exists()
    assert record.signal_number == closed.pk
    assert NAME not in record.records and NAME not in record.rule
    assert StaffSignalPurgeRecord.objects.count() == 1
    assert cast.pupil.__class__.objects.filter(pk=cast.pupil.pk).exists()
    report = dossier_verify()
    assert report.holds, report.problems


def test_an_open_signal_is_never_purged(cast):
    signal = file(cast)
    far = today().replace(year=today().year + 30)
    assert staff_signal_expires_on(signal) is None
    assert expired_staff_signals(far) == []
    with pytest.raises(ValidationError, match="open"), as_owner():
        staff_signal_purge(signal, today=far)
    assert StaffSignal.objects.filter(pk=signal.pk).exists()


def test_a_signal_within_its_term_is_not_purged(cast, closed):
    with pytest.raises(ValidationError), as_owner():
        staff_signal_purge(closed, today=today() + dt.timedelta(days=365))
    with as_owner():
        call_command("purge_expired")
    assert StaffSignal.objects.filter(pk=closed.pk).exists()


def test_the_board_sets_the_term_and_nobody_else(cast, closed, client_for):
    url = reverse("cases:staff_signal_retention")
    response = client_for(cast.bestuur).post(url, {"staff_signal_retention_years": "2"})
    assert response.status_code == 302
    cast.board.refresh_from_db()
    assert cast.board.staff_signal_retention_years == 2
    assert staff_signal_expires_on(closed) == today().replace(year=today().year + 2)
    assert (
        client_for(cast.directie).post(url, {"staff_signal_retention_years": "1"}).status_code
        == 403
    )


def test_a_removed_record_outside_a_purge_is_still_named(cast, closed):
    """The purge record covers only what the purge deleted: a signal deleted behind the
    application's back is still reported as removed."""
    from tests.tamper import tamper

    other = file(cast, name="Chauffeur Verdwijnt")
    tamper("DELETE FROM cases_staffsignal WHERE id = %s", [other.pk])
    report = dossier_verify()
    assert any(p.record == "cases.StaffSignal" and p.record_id == other.pk for p in report.problems)
