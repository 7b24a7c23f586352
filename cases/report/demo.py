"""A demo report to Veilig Thuis with the outcome of its safety assessment, recorded
through the services in the order the route allows. All invented."""

from __future__ import annotations

from django.utils import timezone

from cases.models import Case
from cases.report.models import Assessment
from cases.report.services import report_record, response_record
from cases.workflow import Step
from meldcode.demo import REGENBOOG, DemoWorld


def populate(world: DemoWorld) -> int:
    """Idempotent: the first 5b case without a report gets one, made today after its
    weighing (the parents told first; a pupil of 12 or older too), and Veilig Thuis's
    safety assessment: an onderzoek, whose conclusion Mijn acties chases in ten weeks.
    The noodsituatie case keeps asking for its report, as a real one would."""
    af, directie = world.users["af"], world.users["directie"]
    case = (
        Case.objects.filter(school=world.schools[REGENBOOG], step=Step.REPORT)
        .exclude(transitions__emergency=True)
        .order_by("pk")
        .first()
    )
    if case is None or case.reports.exists():
        return 0
    today = timezone.localdate()
    old_enough = case.pupil.age_on(today) >= 12
    report = report_record(
        case=case,
        by=af,
        reported_on=today,
        reported_by=af,
        reference="VT-DEMO-0001",
        parents_told_on=today,
        pupil_told_on=today if old_enough else None,
        objections="Moeder vond de melding overdreven en was boos op school.",
        objections_weighed="Besproken dat de school moet melden bij twijfel over de veiligheid; "
        "moeder is uitgenodigd voor een vervolggesprek.",
    )
    response_record(
        report=report,
        by=directie,
        kind="assessment",
        received_on=today,
        assessment=Assessment.INVESTIGATION,
        note="Veilig Thuis stelt een onderzoek in; de school blijft signaleren.",
        school_follow_up="De leerkracht houdt het logboek bij; de IB'er bespreekt het kind "
        "elke maand.",
    )
    return 1
