"""Opschalen bij stagnatie (seed 000) reaches the board: a case past twice its step's term,
or stalled with the one person it could be escalated to, shows in the board's Mijn acties
and on its start page, with the school, the step and the days over the term; never the
pupil or the case number. The board gets the daily content-free reminder."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from cases.actions.reminders import reminders_send
from cases.actions.services import actions_for, board_escalations
from cases.matrix import school_terms
from cases.models import Case
from cases.workflow import Step
from meldcode.models import Membership, Role


def stalled(case, days: int):
    Case.objects.filter(pk=case.pk).update(step_entered_at=timezone.now() - dt.timedelta(days=days))
    case.refresh_from_db()
    return case


def test_a_case_past_twice_its_term_reaches_the_board_without_its_name(cast, case_at):
    term = school_terms(cast.school)[Step.TALK]
    case = stalled(case_at(Step.TALK, responsible=cast.ib), 2 * term + 3)
    items = [i for i in actions_for(cast.bestuur) if i.kind == "board_escalation"]
    assert len(items) == 1
    item = items[0]
    assert item.case is None and cast.school.name in item.what
    assert str(term + 3) in item.what
    assert case.pupil.first_name not in item.what and str(case.pk) not in item.what.split(":")[0]


def test_a_case_just_past_its_term_stays_inside_the_school(cast, case_at):
    term = school_terms(cast.school)[Step.TALK]
    stalled(case_at(Step.TALK, responsible=cast.ib), term + 2)
    assert board_escalations([cast.board.pk]) == []


def test_a_case_stalled_with_the_last_person_it_could_reach_goes_to_the_board(cast, case_at):
    # One person is both the aandachtsfunctionaris and the directie (seed 001), and holds
    # the case: escalating inside the school reaches nobody else.
    Membership.objects.filter(school=cast.school, role=Role.DIRECTIE).delete()
    Membership.objects.create(user=cast.af, school=cast.school, role=Role.DIRECTIE)
    term = school_terms(cast.school)[Step.WEIGH]
    stalled(case_at(Step.WEIGH, responsible=cast.af), term + 1)
    assert [e.reason for e in board_escalations([cast.board.pk])] == ["no_one_else"]


def test_the_board_start_page_lists_escalations_and_no_pupil(cast, case_at, client_for):
    term = school_terms(cast.school)[Step.TALK]
    case = stalled(case_at(Step.TALK, responsible=cast.ib), 2 * term + 1)
    page = client_for(cast.bestuur).get(reverse("home")).content.decode()
    assert 'data-testid="board-escalations"' in page
    assert cast.school.name in page and case.pupil.last_name not in page


def test_the_board_gets_the_daily_reminder_without_details(
    cast, case_at, mailoutbox, django_capture_on_commit_callbacks
):
    cast.bestuur.email = "bestuur@example.invalid"
    cast.bestuur.save()
    term = school_terms(cast.school)[Step.TALK]
    case = stalled(case_at(Step.TALK, responsible=cast.ib), 2 * term + 1)
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(today=timezone.localdate())
    mails = [m for m in mailoutbox if m.to == ["bestuur@example.invalid"]]
    assert len(mails) == 1
    assert case.pupil.first_name not in mails[0].body and cast.school.name not in mails[0].body
