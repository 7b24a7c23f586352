"""Demo cases for De Regenboog: one in every step, each reached through real moves."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cases.meetings import demo as meetings_demo
from cases.models import Case, EmergencyCall
from cases.services import case_advance, case_declare_emergency, case_open
from cases.weighing import demo as weighing_demo
from cases.workflow import Step
from meldcode.demo import REGENBOOG, DemoWorld

# Per pupil of De Regenboog (by index): the moves to make, as (to, who, reason).
ROUTES: list[list[tuple[Step, str, str]]] = [
    [],  # stays in step 1
    [(Step.CONSULT, "leerkracht", "")],
    [(Step.CONSULT, "leerkracht", ""), (Step.TALK, "ib", "")],
    [
        (Step.CONSULT, "leerkracht", ""),
        (Step.TALK, "ib", ""),
        (Step.WEIGH, "ib", ""),
    ],
    [
        (Step.CONSULT, "leerkracht", ""),
        (Step.TALK, "ib", ""),
        (Step.WEIGH, "ib", ""),
        (Step.HELP, "af", ""),
    ],
    [
        (Step.CONSULT, "leerkracht", ""),
        (
            Step.WEIGH,
            "ib",
            "Gesprek met ouders overgeslagen: goede grond om aan te nemen dat het gezin "
            "het contact verbreekt.",
        ),
        (Step.REPORT, "af", ""),
    ],
    [
        (Step.CONSULT, "leerkracht", ""),
        (Step.TALK, "ib", ""),
        (
            Step.CLOSED,
            "ib",
            "Zorg weggenomen: de ouders legden de blauwe plekken uit met een verslag van "
            "de huisarts; afgesproken dat de leerkracht het kind blijft volgen.",
        ),
    ],
]


def populate(world: DemoWorld) -> None:
    """Give De Regenboog cases in every step (idempotent: pupils with a case are skipped)."""
    pupils = world.pupils[REGENBOOG]
    users = world.users
    for pupil, route in zip(pupils, ROUTES, strict=False):
        if pupil.cases.exists():
            continue
        case = case_open(pupil=pupil, by=users["leerkracht"])
        for to, username, reason in route:
            if case.step == Step.TALK and to == Step.WEIGH:
                meetings_demo.hold_parent_talk(case, users[username], users["ib"])
            if case.step == Step.WEIGH:
                weighing_demo.weigh_for(case, to, users[username])
            case_advance(case=case, to=to, by=users[username], reason=reason)
    _emergency_case(world)
    _stalled_case(world)


def _stalled_case(world: DemoWorld) -> None:
    """Let the demo's step-2 case have waited three weeks, past the school's term of 14
    days, so a newcomer sees a stalled case and its escalation at once (idempotent)."""
    case = Case.objects.filter(school=world.schools[REGENBOOG], step=Step.CONSULT).first()
    waited = timezone.now() - dt.timedelta(days=21)
    if case is not None and case.step_entered_at > waited:
        Case.objects.filter(pk=case.pk).update(step_entered_at=waited)


def _emergency_case(world: DemoWorld) -> None:
    """One case that jumped from step 1 to 5b as a noodsituatie."""
    pupil = world.pupils[REGENBOOG][len(ROUTES)]
    if pupil.cases.exists():
        return
    case = case_open(pupil=pupil, by=world.users["leerkracht"])
    case_declare_emergency(
        case=case,
        by=world.users["af"],
        service=EmergencyCall.Service.VEILIG_THUIS,
        called_by=world.users["af"],
        called_at=timezone.now(),
        summary="Kind vertelde bij binnenkomst over geweld thuis en durfde niet naar huis. "
        "Veilig Thuis gebeld; advies en melding in één gesprek.",
    )
