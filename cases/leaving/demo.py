"""Demo: the pupil of the case in step 3 leaves De Regenboog in two weeks, so the
aandachtsfunctionaris finds the leaving checklist in Mijn acties."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cases.models import Case
from cases.workflow import Step
from meldcode.demo import REGENBOOG, DemoWorld
from meldcode.models import Pupil


def populate(world: DemoWorld) -> None:
    case = (
        Case.objects.filter(school=world.schools[REGENBOOG], step=Step.TALK).order_by("pk").first()
    )
    if case is None or case.pupil.left_on is not None:
        return
    Pupil.objects.filter(pk=case.pupil_id).update(
        left_on=timezone.localdate() + dt.timedelta(days=14)
    )
