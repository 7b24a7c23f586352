"""Mail after a move: only to the people who may act in the new step, only after commit,
and never a pupil's name or any content: only that an action waits, with a link."""

import pytest
from django.core.exceptions import ValidationError

from cases.services import case_advance, case_grant, case_set_responsible
from cases.workflow import Step
from tests.cases.factories import ready_to_leave


def test_the_people_who_may_act_next_get_a_mail_with_only_a_link(
    cast, case, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case_advance(case=case, to=Step.CONSULT, by=cast.leerkracht, reason="Blauwe plek")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [cast.ib.email]
    assert case.get_absolute_url() in mail.body
    for secret in ("Roos", "Testhuis", "Blauwe plek", cast.leerkracht.first_name, "Testboom"):
        assert secret not in mail.subject + mail.body


def test_no_mail_is_sent_before_the_move_is_committed(
    cast, case, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        case_advance(case=case, to=Step.CONSULT, by=cast.leerkracht)
    assert mailoutbox == []
    assert len(callbacks) == 1


def test_a_refused_move_sends_no_mail(cast, case, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        case_advance(case=case, to=Step.WEIGH, by=cast.leerkracht)
    assert mailoutbox == []


def test_the_mover_is_not_mailed_about_their_own_move(
    cast, case_at, mailoutbox, django_capture_on_commit_callbacks
):
    case = case_at(Step.WEIGH, responsible=cast.af)
    ready_to_leave(case, Step.HELP, cast.af)
    with django_capture_on_commit_callbacks(execute=True):
        case_advance(case=case, to=Step.HELP, by=cast.af)
    assert [m.to for m in mailoutbox] == [[cast.directie.email]]


def test_a_new_responsible_person_and_an_added_colleague_are_told_without_content(
    cast, case_at, mailoutbox, django_capture_on_commit_callbacks
):
    case = case_at(Step.WEIGH, responsible=cast.af)
    with django_capture_on_commit_callbacks(execute=True):
        case_set_responsible(case=case, person=cast.directie, by=cast.af)
        case_grant(case=case, person=cast.leerkracht_b, level="read", by=cast.af)
    assert [m.to for m in mailoutbox] == [[cast.directie.email], [cast.leerkracht_b.email]]
    assert all("Roos" not in m.body for m in mailoutbox)


def test_nobody_is_mailed_about_a_case_they_may_not_see(
    cast, case_at, mailoutbox, django_capture_on_commit_callbacks
):
    closed = case_at(Step.CLOSED)
    with django_capture_on_commit_callbacks(execute=True):
        case_advance(case=closed, to=Step.SIGNALS, by=cast.af, reason="Nieuwe zorgen")
    recipients = {address for mail in mailoutbox for address in mail.to}
    # Step 1 is open to every teacher, but only the one who opened the case may see it.
    assert cast.leerkracht.email in recipients
    assert cast.leerkracht_b.email not in recipients
    assert cast.other_leerkracht.email not in recipients
