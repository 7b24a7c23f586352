"""The responsible person: named when a case enters a step, changeable by the
aandachtsfunctionaris or the directie, and kept on record per step."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases.models import ResponsibleChange
from cases.services import case_advance, case_set_responsible
from cases.workflow import Step
from meldcode.models import Role
from tests.cases.factories import ready_to_leave
from tests.factories import member


def test_entering_a_step_names_the_first_eligible_person(cast, case):
    second_ib = member(cast.school, Role.IB, username="ib2")
    second_ib.first_name = "Aaa"
    second_ib.save()
    case_advance(case=case, to=Step.CONSULT, by=cast.leerkracht)
    assert case.responsible == second_ib


def test_whoever_moves_the_case_on_and_may_act_next_stays_responsible(cast, case_at):
    case = case_at(Step.WEIGH, responsible=cast.af)
    ready_to_leave(case, Step.HELP, cast.directie)
    case_advance(case=case, to=Step.HELP, by=cast.directie)
    assert case.responsible == cast.directie


@pytest.mark.parametrize("who", ["af", "directie"])
def test_af_and_directie_change_the_responsible_person(cast, case_at, who):
    case = case_at(Step.CONSULT, responsible=cast.ib)
    case_set_responsible(case=case, person=cast.ib, by=getattr(cast, who))
    change = ResponsibleChange.objects.get()
    assert (change.step, change.person, change.by) == ("2", cast.ib, getattr(cast, who))


@pytest.mark.parametrize("who", ["leerkracht", "ib", "leerkracht_b", "bestuur"])
def test_others_may_not_change_the_responsible_person(cast, case, who):
    with pytest.raises(PermissionDenied):
        case_set_responsible(case=case, person=cast.ib, by=getattr(cast, who))


def test_the_responsible_person_must_be_able_to_act_in_the_step(cast, case_at):
    case = case_at(Step.WEIGH, responsible=cast.af)
    with pytest.raises(ValidationError):
        case_set_responsible(case=case, person=cast.leerkracht, by=cast.af)
    case.refresh_from_db()
    assert case.responsible == cast.af


def test_no_responsible_person_for_a_closed_case(cast, case_at):
    case = case_at(Step.CLOSED, responsible=cast.af)
    with pytest.raises(PermissionDenied):
        case_set_responsible(case=case, person=cast.directie, by=cast.af)
