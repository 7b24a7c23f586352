"""Demo: the aandachtsfunctionaris linked the cases in steps 1 and 2 of De Regenboog, a
brother and a sister (as the kindcheck showed)."""

from __future__ import annotations

from cases.links.models import CaseLink
from cases.links.services import case_link
from cases.models import Case
from cases.workflow import Step
from meldcode.demo import REGENBOOG, DemoWorld


def populate(world: DemoWorld) -> None:
    school = world.schools[REGENBOOG]
    first = Case.objects.filter(school=school, step=Step.SIGNALS).order_by("pk").first()
    second = Case.objects.filter(school=school, step=Step.CONSULT).order_by("pk").first()
    if first is None or second is None or CaseLink.objects.filter(case=first).exists():
        return
    case_link(case=first, other=second, by=world.users["af"])
