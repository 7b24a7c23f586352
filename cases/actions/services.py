"""Mijn acties: one list of everything that waits for a person, across every school they
work at, overdue first. Each kind of item comes from one provider; every provider asks
the part that owns the records through its services and costs a fixed number of queries
however many cases there are. Only cases the person may see ever appear.

Escalation (opschalen bij stagnatie, seed 000): an item overdue by more than the school's
term for the case's step also reaches the aandachtsfunctionaris and the directie.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.consultations.services import consent_forms_awaited
from cases.help.services import ARRIVAL_ASKED_AFTER, help_arrivals_unanswered, help_plans_due
from cases.inzage.services import HANDLERS, last_reviewers, open_requests
from cases.leaving.services import attention_officer_school_ids, leaving_checklists_due
from cases.matrix import school_terms
from cases.meetings.services import (
    late_agreements_of_others,
    open_agreements_for,
    reports_to_sign,
    talks_until_reported,
)
from cases.models import RESPONSIBLE_MANAGERS, Case
from cases.report.services import (
    cases_awaiting_report,
    conclusion_expected_by,
    conclusions_awaited,
    reports_awaiting_decision,
)
from cases.staff_signals.access import may_read_staff_signals
from cases.staff_signals.services import staff_signal_duties_due
from cases.workflow import Step
from meldcode.models import Membership, Role, School, User
from meldcode.workdays import add_working_days


@dataclass(frozen=True)
class ActionItem:
    kind: str
    what: str
    case: Case | None
    url: str
    due: dt.date | None
    today: dt.date
    escalated: bool = False

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < self.today

    @property
    def days_late(self) -> int:
        return (self.today - self.due).days if self.overdue else 0

    @property
    def sort_key(self) -> tuple:
        return (not self.overdue, self.due or dt.date.max, self.kind, self.url)


@dataclass(frozen=True)
class Context:
    """What every provider may use: the person, today, and their schools with roles."""

    user: User
    today: dt.date
    roles: dict[int, set[str]]  # school id -> roles there
    schools: dict[int, School]
    terms: dict[int, dict[Step, int]]  # school id -> days per step

    def manages(self, school_id: int) -> bool:
        return bool(self.roles.get(school_id, set()) & set(RESPONSIBLE_MANAGERS))

    @property
    def managed_school_ids(self) -> list[int]:
        return [school_id for school_id in self.roles if self.manages(school_id)]

    def term(self, school_id: int, step: str) -> int:
        return self.terms[school_id].get(Step(step), 14)


def _case_label(case: Case) -> str:
    return f"{case} · {case.pupil.full_name}"


def _responsible(ctx: Context) -> Iterable[ActionItem]:
    cases = (
        Case.objects.visible_to(ctx.user)
        .open()
        .filter(responsible=ctx.user)
        # A case in 5b without its report has a sharper item of its own (_report_missing).
        .exclude(pk__in=cases_awaiting_report(ctx.user).values("pk"))
        .select_related("pupil", "school")
    )
    for case in cases:
        due = timezone.localdate(case.step_entered_at) + dt.timedelta(
            days=ctx.term(case.school_id, case.step)
        )
        yield ActionItem(
            "responsible",
            _("Take the case on: you are responsible for step %(step)s")
            % {"step": case.get_step_display()},
            case,
            case.get_absolute_url(),
            due,
            ctx.today,
        )


def _stalled(ctx: Context) -> Iterable[ActionItem]:
    """For the aandachtsfunctionaris and the directie: cases past their step's term."""
    for school_id in ctx.managed_school_ids:
        school = ctx.schools[school_id]
        terms = ctx.terms[school_id]
        cases = (
            Case.objects.visible_to(ctx.user)
            .filter(school=school)
            .stagnating(terms, timezone.now())
            .exclude(responsible=ctx.user)
            .select_related("pupil")
        )
        for case in cases:
            due = timezone.localdate(case.step_entered_at) + dt.timedelta(
                days=terms[Step(case.step)]
            )
            yield ActionItem(
                "stalled",
                _("The case stays too long in step %(step)s: see that it moves on")
                % {"step": case.get_step_display()},
                case,
                case.get_absolute_url(),
                due,
                ctx.today,
            )


def _agreements(ctx: Context) -> Iterable[ActionItem]:
    for agreement in open_agreements_for(ctx.user):
        case = agreement.report.meeting.case
        yield ActionItem(
            "agreement",
            _("Agreement: %(what)s") % {"what": agreement.description},
            case,
            reverse("cases:meeting_detail", args=[case.pk, agreement.report.meeting_id]),
            agreement.due_on,
            ctx.today,
        )


def _escalated_agreements(ctx: Context) -> Iterable[ActionItem]:
    """Agreements of others, overdue by more than the school's term: to the af/directie."""
    if not ctx.managed_school_ids:
        return
    rows = late_agreements_of_others(ctx.user, ctx.managed_school_ids, ctx.today)
    for agreement in rows:
        case = agreement.report.meeting.case
        if (ctx.today - agreement.due_on).days <= ctx.term(case.school_id, case.step):
            continue
        yield ActionItem(
            "escalated_agreement",
            _("Escalated: the agreement of %(owner)s is late: %(what)s")
            % {"owner": agreement.owner, "what": agreement.description},
            case,
            reverse("cases:meeting_detail", args=[case.pk, agreement.report.meeting_id]),
            agreement.due_on,
            ctx.today,
            escalated=True,
        )


def _talks(ctx: Context) -> Iterable[ActionItem]:
    """A talk stays with whoever takes part in it or planned it until its report is
    written: before its time as the talk itself, after it as the report to write."""
    now = timezone.now()
    for meeting in talks_until_reported(ctx.user):
        starts_at = timezone.localtime(meeting.starts_at)
        if meeting.starts_at > now:
            kind, due = "talk", starts_at.date()
            what = _("Talk on %(when)s") % {"when": date_format(starts_at, "j F Y H:i")}
        else:
            kind, due = "talk_report", starts_at.date() + dt.timedelta(days=2)
            what = _("Write the report of the talk of %(day)s") % {
                "day": date_format(starts_at, "j F Y")
            }
        yield ActionItem(
            kind,
            what,
            meeting.case,
            reverse("cases:meeting_detail", args=[meeting.case_id, meeting.pk]),
            due,
            ctx.today,
        )
    for report in reports_to_sign(ctx.user):
        meeting = report.meeting
        yield ActionItem(
            "sign",
            _("Sign the report of the %(kind)s") % {"kind": meeting.get_kind_display()},
            meeting.case,
            reverse("cases:meeting_detail", args=[meeting.case_id, meeting.pk]),
            timezone.localdate(report.at) + dt.timedelta(days=7),
            ctx.today,
        )


def _help_plans(ctx: Context) -> Iterable[ActionItem]:
    for plan in help_plans_due(ctx.user, ctx.today):
        case = plan.case
        if case.responsible_id != ctx.user.pk and not ctx.manages(case.school_id):
            continue
        yield ActionItem(
            "help_term",
            _("Evaluate the help of %(org)s: its term has come") % {"org": plan.provider},
            case,
            reverse("cases:help_evaluation_new", args=[case.pk, plan.pk]),
            plan.term,
            ctx.today,
        )


def _help_arrival(ctx: Context) -> Iterable[ActionItem]:
    """ "Aangekomen bij de hulp?" (seeds 000/004): asked two weeks after the help started,
    until it is answered."""
    for plan in help_arrivals_unanswered(ctx.user, ctx.today):
        case = plan.case
        if case.responsible_id != ctx.user.pk and not ctx.manages(case.school_id):
            continue
        yield ActionItem(
            "help_arrival",
            _("Did the family arrive at the help of %(org)s?") % {"org": plan.provider},
            case,
            reverse("cases:help_evaluation_new", args=[case.pk, plan.pk]),
            timezone.localdate(plan.created_at) + ARRIVAL_ASKED_AFTER,
            ctx.today,
        )


def _veilig_thuis(ctx: Context) -> Iterable[ActionItem]:
    for report in reports_awaiting_decision(ctx.user, ctx.today):
        case = report.case
        if case.responsible_id != ctx.user.pk and not ctx.manages(case.school_id):
            continue
        yield ActionItem(
            "vt_decision",
            _("Veilig Thuis has not yet given the outcome of its safety assessment: call them"),
            case,
            reverse("cases:report_response", args=[case.pk, report.pk]),
            report.decision_expected_by,
            ctx.today,
        )


def _report_missing(ctx: Context) -> Iterable[ActionItem]:
    """A case in 5b without a report: due the next working day, after a noodsituatie
    today; for the responsible person and the aandachtsfunctionaris."""
    for case in cases_awaiting_report(ctx.user):
        is_af = Role.AANDACHTSFUNCTIONARIS in ctx.roles.get(case.school_id, set())
        if case.responsible_id != ctx.user.pk and not is_af:
            continue
        entered = timezone.localdate(case.step_entered_at)
        yield ActionItem(
            "report_missing",
            _("Record the report to Veilig Thuis"),
            case,
            reverse("cases:report_new", args=[case.pk]),
            entered if case.emergency else add_working_days(entered, 1),
            ctx.today,
        )


def _vt_conclusion(ctx: Context) -> Iterable[ActionItem]:
    for assessment in conclusions_awaited(ctx.user, ctx.today):
        case = assessment.report.case
        if case.responsible_id != ctx.user.pk and not ctx.manages(case.school_id):
            continue
        yield ActionItem(
            "vt_conclusion",
            _("Veilig Thuis has not yet given the conclusion of its onderzoek: ask for it"),
            case,
            reverse("cases:report_response", args=[case.pk, assessment.report_id]),
            conclusion_expected_by(assessment),
            ctx.today,
        )


def _consent(ctx: Context) -> Iterable[ActionItem]:
    for consent in consent_forms_awaited(ctx.user):
        case = consent.case
        involved = case.responsible_id == ctx.user.pk or ctx.manages(case.school_id)
        if not involved and Role.IB not in ctx.roles.get(case.school_id, set()):
            continue
        yield ActionItem(
            "consent",
            _("The signed consent form of the parents has not come in"),
            case,
            reverse("cases:consent_new", args=[case.pk]),
            consent.on + dt.timedelta(days=7),
            ctx.today,
        )


@dataclass(frozen=True)
class BoardEscalation:
    """A stalled case as the board sees it: the school, the step and how long past the
    term. No pupil, no case number: the board does not see cases."""

    school: School
    step: Step
    days_over: int
    since: dt.date
    reason: str  # "twice_term" or "no_one_else"

    @property
    def text(self) -> str:
        return _("%(school)s: a case stays %(days)s days past the term in step %(step)s") % {
            "school": self.school.name,
            "days": self.days_over,
            "step": self.step.label,
        }


def board_escalations(board_ids, now: dt.datetime | None = None) -> list[BoardEscalation]:
    """Cases of the boards' schools that reach the board (opschalen bij stagnatie, seed
    000): past twice their step's term, or past the term while the responsible person is
    the only aandachtsfunctionaris and directie there, so that escalating inside the
    school reaches nobody else."""
    now = now or timezone.now()
    schools = {school.pk: school for school in School.objects.filter(board_id__in=board_ids)}
    managers: dict[int, set[int]] = {}
    for school_id, user_id in Membership.objects.filter(
        school_id__in=schools, role__in=RESPONSIBLE_MANAGERS
    ).values_list("school_id", "user_id"):
        managers.setdefault(school_id, set()).add(user_id)
    cases = (
        Case.objects.filter(school_id__in=schools)
        .open()
        .values_list("school_id", "step", "step_entered_at", "responsible_id")
    )
    terms = {school_id: school_terms(school) for school_id, school in schools.items()}
    found = []
    for school_id, step, entered, responsible_id in cases:
        term = terms[school_id].get(Step(step), 14)
        days_in = (now - entered).days
        if days_in <= term:
            continue
        alone = managers.get(school_id, set()) <= {responsible_id}
        if days_in > 2 * term or alone:
            found.append(
                BoardEscalation(
                    school=schools[school_id],
                    step=Step(step),
                    days_over=days_in - term,
                    since=timezone.localdate(entered) + dt.timedelta(days=term),
                    reason="twice_term" if days_in > 2 * term else "no_one_else",
                )
            )
    return sorted(found, key=lambda e: (-e.days_over, e.school.name))


def _board_escalation(ctx: Context) -> Iterable[ActionItem]:
    boards = Membership.objects.filter(user=ctx.user, role=Role.BESTUUR).values("board_id")
    for escalation in board_escalations(boards):
        yield ActionItem(
            "board_escalation",
            escalation.text,
            None,
            reverse("home"),
            escalation.since,
            ctx.today,
            escalated=True,
        )


def _inzage(ctx: Context) -> Iterable[ActionItem]:
    """An inzage request, for the aandachtsfunctionaris and the directie, until it ends
    in a release or a refusal (AVG art. 12(3): one month, two more when extended). A
    review awaiting approval asks a second person; the reviewer waits for them."""
    schools = [sid for sid, roles in ctx.roles.items() if roles & set(HANDLERS)]
    if not schools:
        return
    visible = Case.objects.visible_to(ctx.user).filter(school_id__in=schools).values("pk")
    requests = open_requests(visible)
    reviewers = last_reviewers(requests)
    for request in requests:
        extension = request.extension if _has_extension(request) else None
        reviewer = reviewers.get(request.pk)
        if reviewer is None:
            what = _("Answer the inzage request of %(name)s: review the copy")
        elif reviewer == ctx.user.pk:
            what = _("Inzage request of %(name)s: your review awaits a colleague's approval")
        else:
            what = _("Inzage request of %(name)s: approve the reviewed copy, or change it")
        yield ActionItem(
            "inzage",
            what % {"name": request.requester_name},
            request.case,
            reverse("cases:inzage_request", args=[request.case_id, request.pk]),
            extension.due_on if extension else request.due_on,
            ctx.today,
        )


def _has_extension(request) -> bool:
    from django.core.exceptions import ObjectDoesNotExist

    try:
        request.extension  # noqa: B018 (selected with the request)
    except ObjectDoesNotExist:
        return False
    return True


def _no_attention_officer(ctx: Context) -> Iterable[ActionItem]:
    """Seeds 000 and 004: the directie appoints an aandachtsfunctionaris."""
    directie = [sid for sid, roles in ctx.roles.items() if Role.DIRECTIE in roles]
    if not directie:
        return
    covered = set(
        Membership.objects.filter(
            school_id__in=directie, role=Role.AANDACHTSFUNCTIONARIS
        ).values_list("school_id", flat=True)
    )
    for school_id in directie:
        if school_id not in covered:
            yield ActionItem(
                "no_af",
                _("%(school)s has no aandachtsfunctionaris: appoint one")
                % {"school": ctx.schools[school_id].name},
                None,
                reverse("home"),
                None,
                ctx.today,
            )


def _staff_signals(ctx: Context) -> Iterable[ActionItem]:
    """WPO art. 4a, for the board and the directie: consult the vertrouwensinspecteur the
    next working day after a signal; after its "yes", inform the parents and the person
    concerned and file aangifte the next working day."""
    if not may_read_staff_signals(ctx.user):
        return
    for duty in staff_signal_duties_due(ctx.user):
        yield ActionItem(
            "staff_signal",
            _("%(what)s: %(signal)s") % {"what": duty.what, "signal": duty.signal},
            None,
            duty.signal.get_absolute_url(),
            duty.due,
            ctx.today,
        )


def _leaving(ctx: Context) -> Iterable[ActionItem]:
    """For the aandachtsfunctionaris: a pupil with a case left the school."""
    for due in leaving_checklists_due(ctx.user, attention_officer_school_ids(ctx.roles)):
        yield ActionItem(
            "leaving",
            _("The pupil leaves the school: work through the leaving checklist"),
            due.case,
            reverse("cases:leaving", args=[due.case.pk]),
            due.due,
            ctx.today,
        )


PROVIDERS: list[Callable[[Context], Iterable[ActionItem]]] = [
    _responsible,
    _stalled,
    _agreements,
    _escalated_agreements,
    _talks,
    _help_plans,
    _help_arrival,
    _veilig_thuis,
    _report_missing,
    _vt_conclusion,
    _consent,
    _inzage,
    _no_attention_officer,
    _board_escalation,
    _staff_signals,
    _leaving,
]


def _context(user: User, today: dt.date) -> Context:
    roles: dict[int, set[str]] = {}
    schools: dict[int, School] = {}
    for membership in Membership.objects.filter(user=user, school__isnull=False).select_related(
        "school"
    ):
        roles.setdefault(membership.school_id, set()).add(membership.role)
        schools[membership.school_id] = membership.school
    terms = {school_id: school_terms(school) for school_id, school in schools.items()}
    return Context(user=user, today=today, roles=roles, schools=schools, terms=terms)


def actions_for(user: User, today: dt.date | None = None) -> list[ActionItem]:
    """Everything waiting for `user`, overdue first, then by date."""
    if not user.is_authenticated:
        return []
    ctx = _context(user, today or timezone.localdate())
    items = [item for provider in PROVIDERS for item in provider(ctx)]
    return sorted(items, key=lambda item: item.sort_key)


def schools_without_attention_officer(board_ids: QuerySet | list[int]) -> QuerySet[School]:
    """For the board's start page."""
    covered = Membership.objects.filter(role=Role.AANDACHTSFUNCTIONARIS).values("school_id")
    return School.objects.filter(board_id__in=board_ids).exclude(pk__in=covered).order_by("name")
