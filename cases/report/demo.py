"""A demo report to Veilig Thuis, with its decision and conclusion. All invented."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cases.models import Case
from cases.report.models import Report, Response
from cases.report.services import DECISION_WORKING_DAYS
from cases.workflow import Step
from meldcode.demo import REGENBOOG, DemoWorld
from meldcode.workdays import add_working_days


def populate(world: DemoWorld) -> int:
    """Idempotent: the first 5b case without a report gets one, dated two weeks ago, with
    Veilig Thuis's decision and conclusion; the noodsituatie case keeps asking for its
    report, as a real one would."""
    af, directie = world.users["af"], world.users["directie"]
    case = (
        Case.objects.filter(school=world.schools[REGENBOOG], step=Step.REPORT)
        .exclude(transitions__emergency=True)
        .order_by("pk")
        .first()
    )
    if case is None or case.reports.exists():
        return 0
    reported_on = timezone.localdate() - dt.timedelta(days=14)
    report = Report.objects.create(
        case=case,
        parents_told_on=reported_on - dt.timedelta(days=1),
        objections="Moeder vond de melding overdreven en was boos op school.",
        objections_weighed="Besproken dat de school moet melden bij twijfel over de veiligheid; "
        "moeder is uitgenodigd voor een vervolggesprek.",
        reported_on=reported_on,
        reported_by=af,
        reference="VT-DEMO-0001",
        decision_expected_by=add_working_days(reported_on, DECISION_WORKING_DAYS),
        recorded_by=af,
    )
    Response.objects.create(
        report=report,
        kind=Response.Kind.DECISION,
        received_on=reported_on + dt.timedelta(days=3),
        takes_on=True,
        note="Veilig Thuis neemt de melding in onderzoek.",
        by=directie,
    )
    Response.objects.create(
        report=report,
        kind=Response.Kind.CONCLUSION,
        received_on=timezone.localdate() - dt.timedelta(days=1),
        conclusion=Response.Conclusion.NOT_CONFIRMED,
        note="Vermoeden niet bevestigd; gezin verwezen naar het wijkteam.",
        school_follow_up="De leerkracht blijft signaleren; de IB'er bespreekt het kind elke maand.",
        by=af,
    )
    return 1
