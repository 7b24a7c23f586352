import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases.models import Case
from cases.services import case_advance, case_open
from cases.workflow import Step


def test_teacher_opens_a_case_in_step_one_and_is_responsible(cast):
    case = case_open(pupil=cast.pupil, by=cast.leerkracht)
    assert case.step == Step.SIGNALS
    assert case.school == cast.school
    assert case.responsible == cast.leerkracht
    assert case.transitions.count() == 1


def test_teacher_hands_over_to_step_two_and_the_ib_becomes_responsible(cast):
    case = case_open(pupil=cast.pupil, by=cast.leerkracht)
    move = case_advance(case=case, to=Step.CONSULT, by=cast.leerkracht)
    case.refresh_from_db()
    assert (move.from_step, move.to_step) == (Step.SIGNALS, Step.CONSULT)
    assert case.step == Step.CONSULT
    assert case.responsible == cast.ib


def test_teacher_cannot_act_in_step_two(cast):
    case = case_open(pupil=cast.pupil, by=cast.leerkracht)
    case_advance(case=case, to=Step.CONSULT, by=cast.leerkracht)
    with pytest.raises(PermissionDenied):
        case_advance(case=case, to=Step.TALK, by=cast.leerkracht)


def test_a_stale_case_is_refused_with_a_clear_message(cast):
    case = case_open(pupil=cast.pupil, by=cast.leerkracht)
    stale = Case.objects.get(pk=case.pk)
    case_advance(case=case, to=Step.CONSULT, by=cast.leerkracht)
    with pytest.raises(ValidationError, match=r"zojuist|moment ago"):
        case_advance(case=stale, to=Step.CONSULT, by=cast.ib)
    assert case.transitions.count() == 2
