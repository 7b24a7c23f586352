"""Demo consultations: every open Regenboog case past step 1 was discussed in the
zorgteam and, anonymously, with Veilig Thuis. All invented."""

from __future__ import annotations

from django.utils import timezone

from cases.consultations.services import consultation_record
from cases.models import Case
from cases.workflow import Step
from meldcode.demo import REGENBOOG, DemoWorld


def populate(world: DemoWorld) -> int:
    ib = world.users["ib"]
    added = 0
    cases = Case.objects.filter(school=world.schools[REGENBOOG]).exclude(
        step__in=[Step.SIGNALS, Step.CLOSED]
    )
    for case in cases:
        if case.consultations.exists():
            continue
        consultation_record(
            case=case, by=ib, held_on=timezone.localdate(), party="colleague",
            colleague_role="zorgteam", anonymous=False,
            question="Herkennen collega's de signalen, en wat is de volgende stap?",
            advice="Signalen herkend; ouders uitnodigen voor een gesprek over de feiten.",
        )  # fmt: skip
        consultation_record(
            case=case, by=ib, held_on=timezone.localdate(), party="veilig_thuis",
            anonymous=True, question="Is dit een situatie om te melden?",
            advice="Nog niet: eerst in gesprek met ouders; opnieuw bellen bij nieuwe signalen.",
        )  # fmt: skip
        added += 2
    return added
