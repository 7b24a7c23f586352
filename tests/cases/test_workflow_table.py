"""The route as a table: every allowed move succeeds, every other pair of steps is refused,
and every move that needs a reason refuses to go without one."""

import itertools

import pytest
from django.core.exceptions import ValidationError

from cases.services import case_advance
from cases.workflow import REASON_REQUIRED, TRANSITIONS, Step, is_emergency
from tests.cases.conftest import ACTOR_FOR_STEP
from tests.cases.factories import ready_to_leave

ALL_PAIRS = list(itertools.product(Step, Step))
ALLOWED = [(a, b) for a, b in ALL_PAIRS if b in TRANSITIONS[a]]
REFUSED = [(a, b) for a, b in ALL_PAIRS if b not in TRANSITIONS[a]]


def test_the_table_holds_exactly_the_moves_of_the_meldcode():
    route = {
        ("1", "2"), ("2", "3"), ("2", "4"), ("3", "4"), ("3", "closed"),
        ("4", "5a"), ("4", "5b"), ("4", "closed"), ("5a", "5b"), ("5a", "closed"),
        ("5b", "5a"), ("5b", "closed"), ("closed", "1"),
    }  # fmt: skip
    emergencies = {(step, "5b") for step in ("1", "2", "3", "4", "5a")}
    assert {(a.value, b.value) for a, b in ALLOWED} == route | emergencies


def test_every_emergency_jump_and_every_route_exception_requires_a_reason():
    required = {(a.value, b.value) for a, b in REASON_REQUIRED}
    assert required == {
        ("2", "4"), ("3", "closed"), ("4", "closed"), ("5a", "5b"), ("5a", "closed"),
        ("5b", "closed"), ("closed", "1"), ("1", "5b"), ("2", "5b"), ("3", "5b"),
    }  # fmt: skip


@pytest.mark.parametrize(("from_step", "to_step"), ALLOWED, ids=lambda s: str(s.value))
def test_every_allowed_move_is_stored_as_its_own_row(cast, case_at, from_step, to_step):
    case = case_at(from_step)
    actor = getattr(cast, ACTOR_FOR_STEP[from_step])
    if is_emergency(from_step, to_step) and from_step in (Step.CONSULT, Step.TALK):
        actor = cast.ib
    if not is_emergency(from_step, to_step):
        ready_to_leave(case, to_step, actor)
    move = case_advance(case=case, to=to_step, by=actor, reason="Reden voor de test.")
    case.refresh_from_db()
    assert case.step == to_step
    assert (move.from_step, move.to_step, move.by) == (from_step, to_step, actor)
    assert move.emergency == is_emergency(from_step, to_step)
    assert list(case.transitions.values_list("to_step", flat=True)) == [from_step, to_step]
    assert case.transitions.last().to_step == case.step


@pytest.mark.parametrize(("from_step", "to_step"), REFUSED, ids=lambda s: str(s.value))
def test_every_other_move_is_refused_and_stores_nothing(cast, case_at, from_step, to_step):
    case = case_at(from_step)
    actor = getattr(cast, ACTOR_FOR_STEP[from_step])
    with pytest.raises(ValidationError) as refused:
        case_advance(case=case, to=to_step, by=actor, reason="Reden voor de test.")
    assert refused.value.code == "not_allowed"
    case.refresh_from_db()
    assert case.step == from_step
    assert case.transitions.count() == 1


@pytest.mark.parametrize(("from_step", "to_step"), list(REASON_REQUIRED), ids=str)
@pytest.mark.parametrize("reason", ["", "   \n "])
def test_a_move_that_needs_a_reason_is_refused_without_one(
    cast, case_at, from_step, to_step, reason
):
    case = case_at(from_step)
    actor = getattr(cast, ACTOR_FOR_STEP[from_step])
    with pytest.raises(ValidationError) as refused:
        case_advance(case=case, to=to_step, by=actor, reason=reason)
    assert "reason" in refused.value.message_dict
    assert case.transitions.count() == 1


@pytest.mark.parametrize(
    ("from_step", "to_step"),
    [pair for pair in ALLOWED if pair not in REASON_REQUIRED],
    ids=str,
)
def test_a_regular_move_needs_no_reason(cast, case_at, from_step, to_step):
    case = case_at(from_step)
    ready_to_leave(case, to_step, getattr(cast, ACTOR_FOR_STEP[from_step]))
    case_advance(case=case, to=to_step, by=getattr(cast, ACTOR_FOR_STEP[from_step]))
    assert case.transitions.count() == 2


def test_an_unknown_step_is_refused(cast, case):
    with pytest.raises(ValidationError):
        case_advance(case=case, to="6", by=cast.leerkracht)


def test_reopening_keeps_the_history(cast, case_at):
    case = case_at(Step.CLOSED)
    case_advance(case=case, to=Step.SIGNALS, by=cast.af, reason="Nieuwe zorgen na de vakantie.")
    assert [t.to_step for t in case.transitions.all()] == [Step.CLOSED, Step.SIGNALS]
    assert case.transitions.last().reason == "Nieuwe zorgen na de vakantie."
