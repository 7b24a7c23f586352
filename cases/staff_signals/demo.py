"""Demo: a signal about a volunteer without an account, waiting for the consultation with
the vertrouwensinspecteur (so the board and the directie see it in Mijn acties)."""

from __future__ import annotations

from cases.staff_signals.models import StaffSignal
from cases.staff_signals.services import staff_signal_file
from meldcode.demo import REGENBOOG, DemoWorld

NAME = "Vrijwilliger Leesouder"


def populate(world: DemoWorld) -> None:
    school = world.schools[REGENBOOG]
    if StaffSignal.objects.filter(school=school, concerns_name=NAME).exists():
        return
    staff_signal_file(
        school=school,
        concerns_name=NAME,
        concerns_role="vrijwilliger",
        description="Tijdens het voorlezen in de bibliotheek zat de vrijwilliger met een "
        "leerling op schoot achter een gesloten deur. Gezien door de leerkracht bij het "
        "ophalen, dinsdag 10.15 uur.",
        by=world.users["leerkracht"],
    )
