"""Who may move a case is the school's responsibility matrix: every role in every step,
against the default matrix and again after the school changed it."""

import pytest
from django.core.exceptions import PermissionDenied

from cases.matrix import matrix_save, school_matrix
from cases.models import DEFAULT_MATRIX
from cases.services import case_advance
from cases.workflow import ROUTE, Step, allowed_moves, reason_question
from tests.cases.factories import ready_to_leave

ROLES_IN_CAST = {
    "leerkracht": "leerkracht",
    "ib": "ib",
    "af": "aandachtsfunctionaris",
    "directie": "directie",
}
# A role that may act in a step, and may see the case, may move it.
SEEING_ROLES = ["leerkracht", "ib", "af", "directie"]
NOT_SEEING = ["leerkracht_b", "other_leerkracht", "bestuur", "outsider"]


def regular_move(step: Step) -> Step:
    return next(to for to in allowed_moves(step) if to in ROUTE[step])


def try_move(cast, case, username: str) -> bool:
    to = regular_move(Step(case.step))
    reason = "Reden voor de test." if reason_question(Step(case.step), to) else ""
    try:
        ready_to_leave(case, to, getattr(cast, username))
        case_advance(case=case, to=to, by=getattr(cast, username), reason=reason)
    except PermissionDenied:
        assert case.transitions.count() == 1
        return False
    assert case.transitions.count() == 2
    return True


@pytest.mark.parametrize("step", list(Step), ids=str)
@pytest.mark.parametrize("username", SEEING_ROLES)
def test_default_matrix_decides_who_may_move_a_case(cast, case_at, step, username):
    case = case_at(step)
    expected = ROLES_IN_CAST[username] in DEFAULT_MATRIX[step]
    assert try_move(cast, case, username) is expected


@pytest.mark.parametrize("step", list(Step), ids=str)
@pytest.mark.parametrize("username", NOT_SEEING)
def test_nobody_who_may_not_see_the_case_may_move_it(cast, case_at, step, username):
    assert try_move(cast, case_at(step), username) is False


# A school that lets the teacher and the IB'er weigh, and the directie alone decide.
CHANGED = {
    Step.SIGNALS: {"leerkracht"},
    Step.CONSULT: {"ib", "aandachtsfunctionaris"},
    Step.TALK: {"ib", "aandachtsfunctionaris"},
    Step.WEIGH: {"leerkracht", "ib"},
    Step.HELP: {"directie"},
    Step.REPORT: {"directie"},
    Step.CLOSED: {"directie"},
}


@pytest.mark.parametrize("step", list(Step), ids=str)
@pytest.mark.parametrize("username", SEEING_ROLES)
def test_a_changed_matrix_decides_who_may_move_a_case(cast, case_at, step, username):
    matrix_save(school=cast.school, matrix=CHANGED, by=cast.directie)
    assert school_matrix(cast.school) == CHANGED
    case = case_at(step)
    expected = ROLES_IN_CAST[username] in CHANGED[step]
    assert try_move(cast, case, username) is expected


def test_a_changed_matrix_at_one_school_leaves_the_other_on_the_default(cast):
    matrix_save(school=cast.school, matrix=CHANGED, by=cast.directie)
    assert school_matrix(cast.other_school) == {s: set(r) for s, r in DEFAULT_MATRIX.items()}
