"""A responsible person who may no longer act in the case's step hands over, on the record,
to the first person who may: a case never waits on someone who cannot see or move it."""

from cases.matrix import matrix_save
from cases.models import DEFAULT_MATRIX, ResponsibleChange
from cases.services import case_grant, case_revoke, case_set_responsible
from cases.workflow import Step


def test_removing_the_responsible_colleague_hands_the_case_over(cast, case):
    case_grant(case=case, person=cast.leerkracht_b, level="contribute", by=cast.ib)
    case_set_responsible(case=case, person=cast.leerkracht_b, by=cast.af)
    case_revoke(case=case, person=cast.leerkracht_b, by=cast.ib)
    case.refresh_from_db()
    assert case.responsible not in (None, cast.leerkracht_b)
    last = ResponsibleChange.objects.filter(case=case).last()
    assert (last.person, last.by) == (case.responsible, cast.ib)


def test_a_matrix_change_hands_over_the_cases_of_a_role_that_may_no_longer_act(cast, case_at):
    case = case_at(Step.CONSULT, responsible=cast.ib)
    changed = {step: set(roles) for step, roles in DEFAULT_MATRIX.items()}
    changed[Step.CONSULT] = {"aandachtsfunctionaris"}
    matrix_save(school=cast.school, matrix=changed, by=cast.directie)
    case.refresh_from_db()
    assert case.responsible == cast.af
    assert ResponsibleChange.objects.get(case=case).by == cast.directie


def test_a_matrix_change_leaves_a_responsible_person_who_may_still_act(cast, case_at):
    case = case_at(Step.CONSULT, responsible=cast.ib)
    changed = {step: set(roles) for step, roles in DEFAULT_MATRIX.items()}
    changed[Step.CONSULT] = {"ib", "aandachtsfunctionaris"}
    matrix_save(school=cast.school, matrix=changed, by=cast.directie)
    case.refresh_from_db()
    assert case.responsible == cast.ib
    assert not ResponsibleChange.objects.filter(case=case).exists()
