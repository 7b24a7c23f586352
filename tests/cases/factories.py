"""Cases for tests. `make_case` puts a case straight into a step, with the one move row
that keeps the rule "the current step agrees with the last move"."""

from __future__ import annotations

from cases.models import Case, Transition
from cases.workflow import Step
from meldcode.models import Pupil, User
from tests.factories import PupilFactory


def make_case(
    *,
    opened_by: User,
    pupil: Pupil | None = None,
    step: Step = Step.SIGNALS,
    responsible: User | None = None,
) -> Case:
    pupil = pupil or PupilFactory()
    responsible = responsible or opened_by
    case = Case.objects.create(
        school=pupil.school,
        pupil=pupil,
        opened_by=opened_by,
        step=step,
        responsible=responsible,
    )
    Transition.objects.create(
        case=case, from_step="", to_step=step, by=opened_by, responsible=responsible
    )
    return case
