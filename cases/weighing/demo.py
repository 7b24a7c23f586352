"""Demo weighings: the demo's cases leave step 4 only after a recorded weighing."""

from __future__ import annotations

from cases.models import Case
from cases.weighing.services import weighing_record
from cases.workflow import Step
from meldcode.models import User

SUSPICION = ("yes", "Blauwe plekken op bovenarmen, herhaald; uitleg van ouders klopt niet.")
REASONED: dict[Step, dict] = {
    Step.HELP: {
        "answers": {
            1: SUSPICION,
            2: ("no", "Geen acuut gevaar: kind gaat elke dag naar huis en vertelt daar open over."),
            3: ("yes", "Het wijkteam kan opvoedondersteuning bieden, binnen twee weken."),
            4: ("yes", "Ouders stemden in het gesprek in met hulp van het wijkteam."),
        },
        "report_needed": False,
        "help_possible": True,
    },
    Step.REPORT: {
        "answers": {
            1: SUSPICION,
            2: ("doubt", "Twijfel over structurele onveiligheid: signalen nemen toe."),
            3: ("yes", "Samen met Veilig Thuis: schoolmaatschappelijk werk kan ondersteunen."),
            4: ("no", "Ouders wijzen elke hulp af (met Veilig Thuis besproken)."),
        },
        "report_needed": True,
        "help_possible": False,
        "veilig_thuis_contact": "Adviesgesprek met Veilig Thuis; vragen 3 en 4 samen beantwoord.",
    },
}


def weigh_for(case: Case, to: Step, by: User) -> None:
    """Record a weighing whose decisions lead the case from step 4 to `to`."""
    if to in REASONED:
        weighing_record(case=case, by=by, **REASONED[to])
