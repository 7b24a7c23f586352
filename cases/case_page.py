"""What the case page reads, each once.

The case page is composed of the parts of a case (cases.views), and its panels, "nu te
doen" (cases.now), the checks of its moves and its history ask about the same records.
Instead of each asking the database, the page learns in the query that fetches the case
which kinds of record the case holds (`CONTENTS`, a few EXISTS and a count), then loads
each kind it holds once, onto the case object (`load`). Whatever reads
`case.<records>.all()` after that (a panel, a move's check, `Case.round_started_at`,
`cases.report.services.report_pending`) reads those rows; a kind the case does not hold
costs no query at all (a prefetch of `QuerySet.none()` asks nothing).

The number of queries is the same for a case of 5 entries or 5,000, at a school of a
board with one school or fifty.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import cache
from types import MappingProxyType

from django.db.models import (
    Exists,
    OuterRef,
    Prefetch,
    QuerySet,
    prefetch_related_objects,
)

from cases.consultations.models import Consent, Consultation, VerwijsindexDecision
from cases.dossier import signal_list
from cases.dossier.models import EntrySignal
from cases.dossier.services import DossierHolds, holds_annotations, only_if
from cases.help.models import HelpEvaluation, HelpPlan
from cases.inzage.models import InzageRequest
from cases.links.models import CaseLink
from cases.meetings.models import Meeting
from cases.models import (
    Case,
    CaseUserObjectPermission,
    EmergencyCall,
    ResponsibleChange,
    Transition,
)
from cases.report.models import Report, ReportException, Response
from cases.weighing.models import Weighing, WeighingAnswer


@dataclass(frozen=True)
class Contents:
    """Which records the case holds (the dossier's entries counted)."""

    entries: int
    signals: bool
    body_marks: bool
    attachments: bool
    linked_entries: bool
    urgent_signals: bool
    emergency_calls: bool
    responsible_changes: bool
    user_grants: bool
    consultations: bool
    consents: bool
    verwijsindex_decisions: bool
    meetings: bool
    weighings: bool
    help_plans: bool
    help_evaluations: bool
    reports: bool
    report_responses: bool
    report_exceptions: bool
    inzage_requests: bool
    links: bool

    @property
    def dossier(self) -> DossierHolds:
        return DossierHolds(**{f.name: getattr(self, f.name) for f in fields(DossierHolds)})


def _of_case(queryset: QuerySet, path: str = "case") -> Exists:
    return Exists(queryset.filter(**{path: OuterRef("pk")}))


def _urgent_codes() -> list[str]:
    return [code for code, signal in signal_list.by_code().items() if signal.urgent]


@cache
def annotations() -> Mapping:
    """What the case page reads with the case, in the same query: which records the case
    holds (`Contents`); the door (`get_case_for`) adds its school's responsibility
    matrix. Built once: a query resolves a copy of each expression, never the expression
    itself."""
    return MappingProxyType(_contents_annotations())


@cache
def _contents_annotations() -> Mapping:
    found = {
        "urgent_signals": _of_case(
            EntrySignal.objects.filter(code__in=_urgent_codes()), "entry__case"
        ),
        "emergency_calls": _of_case(EmergencyCall.objects.all(), "transition__case"),
        "responsible_changes": _of_case(ResponsibleChange.objects.all()),
        "user_grants": _of_case(CaseUserObjectPermission.objects.all(), "content_object"),
        "consultations": _of_case(Consultation.objects.all()),
        "consents": _of_case(Consent.objects.all()),
        "verwijsindex_decisions": _of_case(VerwijsindexDecision.objects.all()),
        "meetings": _of_case(Meeting.objects.all()),
        "weighings": _of_case(Weighing.objects.all()),
        "help_plans": _of_case(HelpPlan.objects.all()),
        "help_evaluations": _of_case(HelpEvaluation.objects.all(), "plan__case"),
        "reports": _of_case(Report.objects.all()),
        "report_responses": _of_case(Response.objects.all(), "report__case"),
        "report_exceptions": _of_case(ReportException.objects.all()),
        "inzage_requests": _of_case(InzageRequest.objects.all()),
        "links": _of_case(CaseLink.objects.all()),
    }
    found = {f"holds_{name}": expression for name, expression in found.items()}
    return MappingProxyType({**holds_annotations(), **found})


def contents_of(case: Case) -> Contents:
    """What the case holds: from the annotations it was fetched with, else one query."""
    names = [field.name for field in fields(Contents)]
    if not hasattr(case, "holds_entries"):
        row = Case.objects.filter(pk=case.pk).values(**_contents_annotations()).get()
        for key, value in row.items():
            setattr(case, key, value)
    return Contents(**{name: getattr(case, f"holds_{name}") for name in names})


def load(case: Case) -> Contents:
    """Load what the case page shows of the case onto it, each kind of record once (and
    only the kinds it holds). Returns what the case holds, for the dossier's own reads."""
    holds = contents_of(case)
    prefetch_related_objects(
        [case],
        Prefetch("transitions", Transition.objects.select_related("by", "responsible")),
        Prefetch(
            "transitions__emergency_calls",
            only_if(
                holds.emergency_calls,
                EmergencyCall.objects.select_related("called_by", "organisation").order_by(
                    "called_at", "pk"
                ),
            ),
        ),
        Prefetch(
            "responsible_changes",
            only_if(
                holds.responsible_changes,
                ResponsibleChange.objects.select_related("person", "by"),
            ),
        ),
        Prefetch(
            "user_grants",
            only_if(
                holds.user_grants,
                CaseUserObjectPermission.objects.select_related("user", "permission"),
            ),
        ),
        Prefetch(
            "consultations",
            only_if(holds.consultations, Consultation.objects.select_related("organisation", "by")),
        ),
        Prefetch("consents", only_if(holds.consents, Consent.objects.select_related("form", "by"))),
        Prefetch(
            "verwijsindex_decisions",
            only_if(
                holds.verwijsindex_decisions, VerwijsindexDecision.objects.select_related("by")
            ),
        ),
        # The panel and "nu te doen" show a talk's kind, time and whether it is reported.
        Prefetch("meetings", only_if(holds.meetings, Meeting.objects.select_related("report"))),
        Prefetch("weighings", only_if(holds.weighings, Weighing.objects.select_related("by"))),
        Prefetch(
            "weighings__answers",
            only_if(holds.weighings, WeighingAnswer.objects.select_related("given_by")),
        ),
        Prefetch(
            "help_plans",
            only_if(holds.help_plans, HelpPlan.objects.select_related("organisation")),
        ),
        Prefetch(
            "help_plans__evaluations", only_if(holds.help_evaluations, HelpEvaluation.objects.all())
        ),
        Prefetch("reports", only_if(holds.reports, Report.objects.select_related("reported_by"))),
        Prefetch("reports__responses", only_if(holds.report_responses, Response.objects.all())),
        Prefetch(
            "report_exceptions",
            only_if(holds.report_exceptions, ReportException.objects.select_related("by")),
        ),
        Prefetch(
            "inzage_requests",
            only_if(
                holds.inzage_requests,
                InzageRequest.objects.select_related(
                    "handled_by", "recorded_by", "extension", "release", "refusal"
                ),
            ),
        ),
        Prefetch("links", only_if(holds.links, CaseLink.objects.all())),
    )
    return holds
