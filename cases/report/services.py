"""Step 5b: the report to Veilig Thuis.

Before reporting, the school tells the parents of the intended report, unless the safety
of the child, a staff member or another is at stake, or the family would break contact
(seed 002); a pupil of 12 or older is told too, or the reason why not is recorded. The
school never reports anonymously. Veilig Thuis decides within 5 working days whether it
takes the report on; it concludes weerlegd, niet bevestigd or bevestigd and gives
feedback. The school keeps following the pupil, and a new report can follow.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.lookups import GreaterThan, IsNull, LessThan
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import may_act, may_view, works_at
from cases.models import Case, EmergencyCall, Transition, is_loaded
from cases.report.models import (
    Assessment,
    NotToldReason,
    Report,
    ReportException,
    Response,
)
from cases.workflow import Step, requires_on_leaving
from meldcode.models import User
from meldcode.workdays import add_working_days

# Veilig Thuis decides within this many working days whether it takes a report on.
DECISION_WORKING_DAYS = 5
# From this age the pupil is told of the intended report too.
PUPIL_TOLD_FROM_AGE = 12
# After an onderzoek, Veilig Thuis concludes in about ten weeks.
CONCLUSION_WEEKS = 10


def may_report(user: User, case: Case) -> bool:
    return Step(case.step) == Step.REPORT and may_act(user, case)


def pupil_must_be_told(case: Case, day: dt.date) -> bool:
    """A pupil of 12 or older on `day` (the day of the talk) is told of the report too."""
    return case.pupil.age_on(day) >= PUPIL_TOLD_FROM_AGE


def _locked_case(case: Case, by: User) -> Case:
    locked = (
        Case.objects.select_for_update(of=("self",))
        .select_related("school", "pupil")
        .get(pk=case.pk)
    )
    if not may_view(by, locked):
        raise PermissionDenied
    if Step(locked.step) != Step.REPORT:
        raise ValidationError(_("A report to Veilig Thuis is recorded in step 5b."))
    if not may_act(by, locked):
        raise PermissionDenied(_("You may not report this case."))
    return locked


def _check_report(
    case: Case,
    *,
    reported_on: dt.date,
    reported_by: User | None,
    parents_told_on: dt.date | None,
    parents_not_told_reason: str,
    parents_not_told_explanation: str,
    pupil_told_on: dt.date | None,
    pupil_not_told_reason: str,
    objections: str,
    objections_weighed: str,
) -> None:
    today = timezone.localdate()
    opened = timezone.localdate(case.opened_at)
    errors: dict[str, str] = {}
    if reported_on > today or reported_on < opened:
        errors["reported_on"] = _("Give a date between the opening of the case and today.")
    if reported_by is None or not works_at(reported_by, case.school):
        errors["reported_by"] = _(
            "Name the staff member of this school who reported: the school never reports "
            "anonymously."
        )
    if parents_told_on is None and not parents_not_told_reason:
        errors["parents_told_on"] = _(
            "Give the date of the talk with the parents about the report, or the reason it "
            "was skipped."
        )
    if parents_not_told_reason and parents_not_told_reason not in NotToldReason.values:
        errors["parents_not_told_reason"] = _("Choose one of the reasons.")
    elif parents_not_told_reason and not parents_not_told_explanation:
        errors["parents_not_told_explanation"] = _("Explain the reason.")
    if parents_told_on is not None and not opened <= parents_told_on <= reported_on:
        errors["parents_told_on"] = _(
            "The talk with the parents lies between the opening of the case and the report."
        )
    talk_day = parents_told_on or reported_on
    if pupil_must_be_told(case, talk_day) and pupil_told_on is None and not pupil_not_told_reason:
        errors["pupil_told_on"] = _(
            "The pupil is 12 or older: give the date the pupil was told, or why not."
        )
    if pupil_told_on is not None and not opened <= pupil_told_on <= reported_on:
        errors["pupil_told_on"] = _(
            "The talk with the pupil lies between the opening of the case and the report."
        )
    if objections and not objections_weighed:
        errors["objections_weighed"] = _("Say how the objections were weighed.")
    if errors:
        raise ValidationError(errors)


def report_record(
    *,
    case: Case,
    by: User,
    reported_on: dt.date,
    reported_by: User | None,
    reference: str = "",
    parents_told_on: dt.date | None = None,
    parents_not_told_reason: str = "",
    parents_not_told_explanation: str = "",
    pupil_told_on: dt.date | None = None,
    pupil_not_told_reason: str = "",
    objections: str = "",
    objections_weighed: str = "",
) -> Report:
    """Record a report to Veilig Thuis, with the talk before it (or why it was skipped)."""
    texts = {
        "parents_not_told_explanation": parents_not_told_explanation,
        "pupil_not_told_reason": pupil_not_told_reason,
        "objections": objections,
        "objections_weighed": objections_weighed,
    }
    texts = {key: (value or "").strip() for key, value in texts.items()}
    with transaction.atomic():
        locked = _locked_case(case, by)
        _check_report(
            locked,
            reported_on=reported_on,
            reported_by=reported_by,
            parents_told_on=parents_told_on,
            parents_not_told_reason=parents_not_told_reason or "",
            pupil_told_on=pupil_told_on,
            **texts,
        )
        return Report.objects.create(
            case=locked,
            reported_on=reported_on,
            reported_by=reported_by,
            reference=(reference or "").strip(),
            parents_told_on=parents_told_on,
            parents_not_told_reason=parents_not_told_reason or "",
            pupil_told_on=pupil_told_on,
            decision_expected_by=add_working_days(reported_on, DECISION_WORKING_DAYS),
            recorded_by=by,
            **texts,
        )


def response_record(
    *,
    report: Report,
    by: User,
    kind: str,
    received_on: dt.date,
    takes_on: bool | None = None,
    assessment: str = "",
    conclusion: str = "",
    note: str = "",
    school_follow_up: str = "",
) -> Response:
    """Record what Veilig Thuis let the school know about a report: the outcome of its
    safety assessment, its conclusion after an onderzoek, or feedback."""
    note, school_follow_up = (note or "").strip(), (school_follow_up or "").strip()
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=report.case_id)
        if not may_view(by, locked):
            raise PermissionDenied
        if not may_act(by, locked) or not locked.is_open:
            raise PermissionDenied(_("You may not record Veilig Thuis's answer in this case."))
        errors: dict[str, str] = {}
        if received_on > timezone.localdate() or received_on < report.reported_on:
            errors["received_on"] = _("Give a date between the report and today.")
        if kind == Response.Kind.DECISION and takes_on is None:
            errors["takes_on"] = _("Say whether Veilig Thuis takes the report on.")
        elif kind == Response.Kind.ASSESSMENT and assessment not in Assessment.values:
            errors["assessment"] = _("Choose how Veilig Thuis's safety assessment ended.")
        elif kind == Response.Kind.CONCLUSION and conclusion not in Response.Conclusion.values:
            errors["conclusion"] = _("Choose Veilig Thuis's conclusion.")
        elif kind == Response.Kind.FEEDBACK and not note:
            errors["note"] = _("Write down the feedback.")
        elif kind not in Response.Kind.values:
            errors["kind"] = _("Choose what Veilig Thuis let you know.")
        if errors:
            raise ValidationError(errors)
        return Response.objects.create(
            report=report,
            kind=kind,
            received_on=received_on,
            takes_on=takes_on if kind == Response.Kind.DECISION else None,
            assessment=assessment if kind == Response.Kind.ASSESSMENT else "",
            conclusion=conclusion if kind == Response.Kind.CONCLUSION else "",
            note=note,
            school_follow_up=school_follow_up,
            by=by,
        )


def reports_of(case: Case) -> list[Report]:
    if is_loaded(case, "reports"):  # by the case page, with their answers
        return list(case.reports.all())
    return list(case.reports.select_related("reported_by").prefetch_related("responses__by"))


# Over all of a case's moves, reports and exceptions (a handful each), so that the case
# page's loaded records answer these questions without a query of their own.


def _since_last_entering_5b(case: Case) -> dt.datetime:
    entered = [move.at for move in case.transitions.all() if move.to_step == Step.REPORT]
    return max(entered, default=case.step_entered_at)


def report_pending(case: Case) -> bool:
    """In 5b and not yet reported since the case (last) came here."""
    if Step(case.step) != Step.REPORT:
        return False
    since = _since_last_entering_5b(case)
    return not any(report.at >= since for report in case.reports.all())


def called_112_only(case: Case) -> bool:
    """The noodsituatie that sent the case to 5b called 112 (or the crisis service) but not
    Veilig Thuis: the report to Veilig Thuis still follows."""
    emergencies = [move for move in case.transitions.all() if move.emergency]
    last = max(emergencies, key=lambda move: (move.at, move.pk), default=None)
    if last is None:
        return False
    services = {call.service for call in last.emergency_calls.all()}
    return bool(services) and EmergencyCall.Service.VEILIG_THUIS not in services


FIRST_ANSWERS = (Response.Kind.ASSESSMENT, Response.Kind.DECISION)


def reports_awaiting_decision(user: User, today: dt.date) -> QuerySet[Report]:
    """Reports of cases `user` may see whose safety assessment by Veilig Thuis is overdue
    (5 working days after the report)."""
    decided = Response.objects.filter(report=OuterRef("pk"), kind__in=FIRST_ANSWERS)
    return (
        Report.objects.filter(case__in=Case.objects.visible_to(user).open())
        .filter(decision_expected_by__lt=today)
        .exclude(Exists(decided))
        .select_related("case__pupil")
        .order_by("decision_expected_by", "pk")
    )


def conclusions_awaited(user: User, today: dt.date) -> QuerySet[Response]:
    """Onderzoeken of Veilig Thuis (in cases `user` may see) whose conclusion is more than
    ten weeks after the assessment and has not come: the school asks for it."""
    concluded = Response.objects.filter(report=OuterRef("report"), kind=Response.Kind.CONCLUSION)
    return (
        Response.objects.filter(report__case__in=Case.objects.visible_to(user).open())
        .filter(kind=Response.Kind.ASSESSMENT, assessment=Assessment.INVESTIGATION)
        .filter(received_on__lt=today - dt.timedelta(weeks=CONCLUSION_WEEKS))
        .exclude(Exists(concluded))
        .select_related("report__case__pupil", "report__case__school")
        .order_by("received_on", "pk")
    )


def conclusion_expected_by(assessment: Response) -> dt.date:
    return assessment.received_on + dt.timedelta(weeks=CONCLUSION_WEEKS)


@dataclass(frozen=True)
class ReportState:
    """Where the latest report of a case in 5b stands, so that Mijn acties names the next
    real thing: wait for VT's decision, wait for the conclusion of its onderzoek, or (when
    VT has answered) decide what follows."""

    report: Report | None
    waiting_for: str  # "decision", "conclusion", or "" once Veilig Thuis has answered
    expected_by: dt.date | None


def report_states(cases: QuerySet[Case]) -> dict[int, ReportState]:
    """The state of the latest report each of these cases (in 5b) received since it (last)
    came there; a case without one is absent. One query however many cases."""
    answers = Response.objects.filter(report=OuterRef("pk"))
    investigation_on = (
        answers.filter(kind=Response.Kind.ASSESSMENT, assessment=Assessment.INVESTIGATION)
        .order_by("received_on")
        .values("received_on")[:1]
    )
    reports = (
        Report.objects.filter(case__in=cases, at__gte=F("case__step_entered_at"))
        .annotate(
            answered=Exists(answers.filter(kind__in=FIRST_ANSWERS)),
            investigation_on=Subquery(investigation_on),
            concluded=Exists(answers.filter(kind=Response.Kind.CONCLUSION)),
        )
        .order_by("at", "pk")
    )
    states: dict[int, ReportState] = {}
    for report in reports:
        if not report.answered:
            state = ReportState(report, "decision", report.decision_expected_by)
        elif report.investigation_on is not None and not report.concluded:
            expected = report.investigation_on + dt.timedelta(weeks=CONCLUSION_WEEKS)
            state = ReportState(report, "conclusion", expected)
        else:
            state = ReportState(report, "", None)
        states[report.case_id] = state  # ordered by time: the latest report wins
    return states


# Leaving step 5b -----------------------------------------------------------------------


def report_exception_record(
    *,
    case: Case,
    by: User,
    kind: str,
    on: dt.date,
    explanation: str,
    vt_employee_role: str = "",
    reference: str = "",
) -> ReportException:
    """Record why this case may leave 5b without a report of its own: Veilig Thuis
    advised that no report is needed (with the date and the role of its employee), or the
    noodsituatie call to Veilig Thuis was the report (with its reference)."""
    explanation = (explanation or "").strip()
    vt_employee_role = (vt_employee_role or "").strip()
    reference = (reference or "").strip()
    with transaction.atomic():
        locked = _locked_case(case, by)
        errors: dict[str, str] = {}
        opened = timezone.localdate(locked.opened_at)
        if kind not in ReportException.Kind.values:
            errors["kind"] = _("Choose one of the two exceptions.")
        if on > timezone.localdate() or on < opened:
            errors["on"] = _("Give a date between the opening of the case and today.")
        if not explanation:
            errors["explanation"] = _("Write down what Veilig Thuis said.")
        if kind == ReportException.Kind.VT_ADVISED_NO_REPORT and not vt_employee_role:
            errors["vt_employee_role"] = _(
                "Give the role of the Veilig Thuis employee who advised (for example "
                "adviseur or triagist)."
            )
        if kind == ReportException.Kind.EMERGENCY_CALL_WAS_REPORT:
            if not reference:
                errors["reference"] = _("Give Veilig Thuis's reference of the report.")
            if not _called_veilig_thuis(locked):
                errors["kind"] = _(
                    "No noodsituatie call to Veilig Thuis is recorded for this case: record "
                    "the report itself."
                )
        if errors:
            raise ValidationError(errors)
        return ReportException.objects.create(
            case=locked,
            kind=kind,
            on=on,
            vt_employee_role=vt_employee_role,
            reference=reference,
            explanation=explanation,
            by=by,
        )


def _called_veilig_thuis(case: Case) -> bool:
    return EmergencyCall.objects.filter(
        transition__case=case,
        transition__at__gte=_since_last_entering_5b(case),
        service=EmergencyCall.Service.VEILIG_THUIS,
    ).exists()


def report_exceptions_of(case: Case) -> list[ReportException]:
    if is_loaded(case, "report_exceptions"):
        return list(case.report_exceptions.all())
    return list(case.report_exceptions.select_related("by"))


def report_or_exception_missing(case: Case) -> bool:
    """In 5b with neither a report nor a recorded exception since the case came here."""
    if not report_pending(case):
        return False
    since = _since_last_entering_5b(case)
    return not any(exception.at >= since for exception in case.report_exceptions.all())


def missing_report_message() -> str:
    return _(
        "No report to Veilig Thuis is recorded for this case. Acute or structural unsafety "
        "always means a report: record the report first, or record that Veilig Thuis advised "
        "that no report is needed, or that the noodsituatie call was the report."
    )


@requires_on_leaving(Step.REPORT, departure=True)
def check_leaving_report(case: Case, to: Step) -> None:
    """No case leaves 5b (to 5a or closed) without a report or a recorded exception, also
    not when the pupil left: the decision to report stands."""
    if report_or_exception_missing(case):
        raise ValidationError(missing_report_message(), code="report_missing")


def awaiting_report() -> Q:
    """A case in 5b with neither a report nor an exception since it came there, as a
    condition on a query of cases."""
    since = OuterRef("step_entered_at")
    reported = Report.objects.filter(case=OuterRef("pk"), at__gte=since)
    excepted = ReportException.objects.filter(case=OuterRef("pk"), at__gte=since)
    return Q(step=Step.REPORT) & ~Exists(reported) & ~Exists(excepted)


def came_in_emergency() -> Subquery:
    """Whether the move that brought a case to its step 5b (the latest into 5b) was a
    noodsituatie, as a value on a query of cases."""
    return Subquery(
        Transition.objects.filter(case=OuterRef("pk"), to_step=Step.REPORT)
        .order_by("-at", "-pk")
        .values("emergency")[:1]
    )


def cases_awaiting_report(user: User) -> QuerySet[Case]:
    """Cases `user` may see that are in 5b with neither a report nor an exception since
    they came there, with `emergency` set when a noodsituatie sent them."""
    return (
        Case.objects.visible_to(user)
        .filter(awaiting_report())
        .annotate(emergency=came_in_emergency())
        .select_related("pupil", "school")
    )


@dataclass(frozen=True)
class ReportFigures:
    reports: int
    conclusions: dict[str, int]
    late_decisions: int


def reports_of_schools(school_ids: list[int]) -> QuerySet[Report]:
    """The reports of these schools (the evaluation counts them per period)."""
    return Report.objects.filter(case__school_id__in=school_ids)


def conclusions_of(school_ids: list[int]) -> QuerySet[Response]:
    """Veilig Thuis's conclusions about these schools' reports."""
    return Response.objects.filter(
        report__case__school_id__in=school_ids, kind=Response.Kind.CONCLUSION
    )


def late_decision(today: dt.date) -> Q:
    """The condition on a report that its decision came (or is still awaited) later than
    the 5 working days: to filter reports on, or to count them beside the others."""
    decided = Subquery(
        Response.objects.filter(report=OuterRef("pk"), kind=Response.Kind.DECISION)
        .order_by("received_on")
        .values("received_on")[:1]
    )
    return Q(GreaterThan(decided, F("decision_expected_by"))) | Q(
        IsNull(decided, True), LessThan(F("decision_expected_by"), today)
    )


def late_decisions(reports: QuerySet[Report], today: dt.date) -> QuerySet[Report]:
    """The reports whose decision came (or is still awaited) later than the 5 working days."""
    return reports.filter(late_decision(today))
