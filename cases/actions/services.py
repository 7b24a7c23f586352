"""Mijn acties: everything that waits for a person, across every school they work at,
grouped per case, overdue first. Each kind of item comes from one provider; every
provider asks the part that owns the records through its services and costs a fixed
number of queries however many cases there are. Only cases the person may see ever appear.

Routing: an item goes to the person who must do it (the case's responsible person, the
owner of an agreement, who asked for a consent form). The aandachtsfunctionaris and the
directie see someone else's item only once it is late (escalation, opschalen bij
stagnatie, seed 000), marked "geëscaleerd"; a case nobody is responsible for goes to the
aandachtsfunctionaris at once. Items that are theirs by role come at once: the report to
Veilig Thuis and the leaving checklist (af), inzage requests (af and directie), a school
without an aandachtsfunctionaris (directie), signals about staff (board, directie).

An agreement marked done from the page stays on it as "afgerond" for the rest of that
day (so the person sees what was recorded, also after a reload) and is gone the next day.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, Exists, ExpressionWrapper, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from cases.consultations.services import consent_forms_awaited
from cases.help.services import (
    ARRIVAL_ASKED_AFTER,
    help_plans_waiting,
    help_plans_waiting_query,
)
from cases.inzage.services import HANDLERS, last_reviewers, open_requests, open_requests_query
from cases.leaving.services import (
    attention_officer_school_ids,
    leaving_cases,
    leaving_checklists_due,
)
from cases.matrix import school_terms
from cases.meetings.services import (
    agreements_for_actions,
    talks_waiting,
)
from cases.models import RESPONSIBLE_MANAGERS, Case, CaseRows, is_past_term, past_term
from cases.report.services import (
    ReportState,
    awaiting_report,
    came_in_emergency,
    conclusion_expected_by,
    conclusions_awaited,
    report_states,
    reports_awaiting_decision,
)
from cases.staff_signals.access import may_read_staff_signals
from cases.staff_signals.services import staff_signal_duties_due
from cases.workflow import Step
from meldcode.links import reverse_ids
from meldcode.models import Membership, Role, School, User
from meldcode.request_cache import kept
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
    agreement_id: int | None = None  # an agreement that can be marked done in place
    done: bool = False  # marked done today: shown as "afgerond" until tomorrow

    @property
    def overdue(self) -> bool:
        return not self.done and self.due is not None and self.due < self.today

    @property
    def days_late(self) -> int:
        return (self.today - self.due).days if self.overdue else 0

    @property
    def sort_key(self) -> tuple:
        return (not self.overdue, self.due or dt.date.max, self.kind, self.url)

    @property
    def due_label(self) -> str:
        """Its badge: how late it is, or the day it is due ("uiterlijk 9 december 2026").
        Written here rather than in the template: Mijn acties shows hundreds."""
        if self.due is None:
            return ""
        return _due_label(self.due, self.today, self.overdue, get_language())


@functools.lru_cache(maxsize=512)
def _due_label(due: dt.date, today: dt.date, overdue: bool, language: str) -> str:
    """Many items share a day: each badge is written once per day and language."""
    if overdue:
        days = (today - due).days
        return ngettext("late: %(days)s day", "late: %(days)s days", days) % {"days": days}
    return _("by %(on)s") % {"on": day_text(due)}


def day_text(day: dt.date) -> str:
    """A day as the pages write it, in the language of the request; many items share a day."""
    return _day_text(day, get_language())


@functools.lru_cache(maxsize=512)
def _day_text(day: dt.date, language: str) -> str:
    return date_format(day, "j F Y")


@dataclass(frozen=True)
class Context:
    """What every provider may use: the person, today, and their schools with roles."""

    user: User
    today: dt.date
    roles: dict[int, set[str]]  # school id -> roles there
    schools: dict[int, School]
    terms: dict[int, dict[Step, int]]  # school id -> days per step
    with_done: bool = False  # also the agreements marked done today (the page only)
    cache: dict = field(default_factory=dict, compare=False)  # shared between providers
    now: dt.datetime = field(default_factory=timezone.now)  # one moment for every provider

    def manages(self, school_id: int) -> bool:
        return bool(self.roles.get(school_id, set()) & set(RESPONSIBLE_MANAGERS))

    @property
    def managed_school_ids(self) -> list[int]:
        return [school_id for school_id in self.roles if self.manages(school_id)]

    def term(self, school_id: int, step: str) -> int:
        return self.terms[school_id].get(Step(step), 14)


# Days an item of someone else may be late before Veilig Thuis's silence reaches the
# aandachtsfunctionaris and the directie: the responsible person first calls VT.
VT_CHASE_WORKING_DAYS = 5


def _routed(
    ctx: Context, case: Case, late_from: dt.date | None, *, owners: Iterable[int] = ()
) -> tuple[bool, bool]:
    """(shown, escalated) for an item of `case` that is late after `late_from`: the
    responsible person (and the `owners`) at once; the aandachtsfunctionaris at once when
    nobody is responsible; the aandachtsfunctionaris and the directie once it is late."""
    if ctx.user.pk == case.responsible_id or ctx.user.pk in set(owners):
        return True, False
    roles = ctx.roles.get(case.school_id, set())
    if case.responsible_id is None and Role.AANDACHTSFUNCTIONARIS in roles:
        return True, False
    if ctx.manages(case.school_id) and late_from is not None and late_from < ctx.today:
        return True, True
    return False, False


# What the responsible person does next, per step (5b has its own, after the report).
NEXT_IN_STEP: dict[Step, str] = {
    Step.SIGNALS: gettext_lazy(
        "Map the signals: record what you see in the logboek and discuss it with the ib'er"
    ),
    Step.CONSULT: gettext_lazy(
        "Consult colleagues or ask Veilig Thuis for advice, then decide the next step"
    ),
    Step.TALK: gettext_lazy("Hold the talk with the parents and record its report"),
    Step.WEIGH: gettext_lazy("Weigh: answer the questions of the afwegingskader and decide"),
    Step.HELP: gettext_lazy("Arrange the help and follow its effects"),
    # A case in 5b here has its report or a recorded exception (VT advised no report).
    Step.REPORT: gettext_lazy(
        "Decide what follows: help in 5a, keep following the pupil, or close the case"
    ),
}


def _reported(ctx: Context) -> dict[int, ReportState]:
    """Where the report of each open 5b case the person may see stands: one query, asked
    only by a provider that meets such a case, and once for all of them."""
    if "reported" not in ctx.cache:
        in_5b = Case.objects.visible_to(ctx.user).open().filter(step=Step.REPORT)
        ctx.cache["reported"] = report_states(in_5b)
    return ctx.cache["reported"]


def _cases(ctx: Context) -> list[Case]:
    """In one query, the open cases the person may see that three providers ask about:
    those they are responsible for (_responsible), those in 5b awaiting their report at a
    school where they are the aandachtsfunctionaris (_report_missing), and those past
    their step's term at a school they manage (_stalled). Each case carries
    `awaiting_report` and `emergency` (the noodsituatie that brought it to 5b)."""
    if "cases" not in ctx.cache:
        af_schools = [
            school_id
            for school_id, roles in ctx.roles.items()
            if Role.AANDACHTSFUNCTIONARIS in roles
        ]
        awaiting = awaiting_report()
        wanted = Q(responsible=ctx.user) | (Q(school_id__in=af_schools) & awaiting)
        for school_id in ctx.managed_school_ids:
            wanted |= Q(school_id=school_id) & past_term(ctx.terms[school_id], ctx.now)
        # Narrow rows: the busiest aandachtsfunctionaris meets some two hundred cases.
        rows = CaseRows(responsible=True)
        found = (
            Case.objects.visible_to(ctx.user)
            .open()
            .filter(wanted)
            .annotate(
                awaiting_report=ExpressionWrapper(awaiting, output_field=BooleanField()),
                emergency=came_in_emergency(),
            )
            .values_list("awaiting_report", "emergency", *rows.columns)
        )
        cases = []
        for row in found:
            case = rows.case(found.db, row, 2)
            case.awaiting_report, case.emergency = row[0], row[1]
            cases.append(case)
        ctx.cache["cases"] = cases
    return ctx.cache["cases"]


def _responsible(ctx: Context) -> Iterable[ActionItem]:
    cases = [
        case
        for case in _cases(ctx)
        # A case in 5b without its report has a sharper item of its own (_report_missing).
        if case.responsible_id == ctx.user.pk and not case.awaiting_report
    ]
    # After the report the case waits for Veilig Thuis (one query, only when needed).
    reported = _reported(ctx) if any(case.step == Step.REPORT for case in cases) else {}
    next_in_step = {step: str(text) for step, text in NEXT_IN_STEP.items()}  # translated once
    for case in cases:
        due = timezone.localdate(case.step_entered_at) + dt.timedelta(
            days=ctx.term(case.school_id, case.step)
        )
        url = case.get_absolute_url()
        state = reported.get(case.pk)
        if state is None:
            what = next_in_step[case.step]
        else:
            url = reverse_ids("cases:report_response", case.pk, state.report.pk)
            if state.expected_by is not None and state.expected_by < ctx.today:
                continue  # late: _veilig_thuis or _vt_conclusion says to call VT
            if state.waiting_for == "decision":
                what = _(
                    "Wait for Veilig Thuis's decision (by %(date)s) and record it when it comes"
                ) % {"date": date_format(state.expected_by, "j F Y")}
                due = state.expected_by
            elif state.waiting_for == "conclusion":
                what = _(
                    "Wait for the conclusion of Veilig Thuis's onderzoek (by %(date)s) and "
                    "record it when it comes"
                ) % {"date": date_format(state.expected_by, "j F Y")}
                due = state.expected_by
            else:
                what = _(
                    "Veilig Thuis has answered: decide what follows (help in 5a, keep "
                    "following the pupil, or close the case)"
                )
                url = case.get_absolute_url()
        yield ActionItem("responsible", what, case, url, due, ctx.today)


_ANSWERED = ReportState(report=None, waiting_for="", expected_by=None)


def _stalled(ctx: Context) -> Iterable[ActionItem]:
    """For the aandachtsfunctionaris and the directie: cases past their step's term."""
    managed = set(ctx.managed_school_ids)
    nobody = _("Past the school's term in this step: name who is responsible")
    agree = _("Past the school's term in this step: agree with %(person)s how it moves on")
    for case in _cases(ctx):
        if case.school_id not in managed or case.responsible_id == ctx.user.pk:
            continue
        terms = ctx.terms[case.school_id]
        if not is_past_term(case, terms, ctx.now):
            continue
        if case.step == Step.REPORT and _reported(ctx).get(case.pk, _ANSWERED).waiting_for:
            # Reported: the case waits for Veilig Thuis, not for the school; a late
            # answer reaches the af and directie through _veilig_thuis/_vt_conclusion.
            continue
        due = timezone.localdate(case.step_entered_at) + dt.timedelta(days=terms[Step(case.step)])
        what = nobody if case.responsible is None else agree % {"person": case.responsible}
        yield ActionItem(
            "stalled", what, case, case.get_absolute_url(), due, ctx.today, escalated=True
        )


def _agreements_of(ctx: Context) -> list:
    """The agreements both agreement providers ask about, read once for both."""
    if "agreements" not in ctx.cache:
        start = timezone.make_aware(dt.datetime.combine(ctx.today, dt.time.min))
        ctx.cache["agreements"] = agreements_for_actions(
            ctx.user,
            done_since=start if ctx.with_done else None,
            managed_school_ids=ctx.managed_school_ids,
            today=ctx.today,
        )
    return ctx.cache["agreements"]


def _agreements(ctx: Context) -> Iterable[ActionItem]:
    """Agreements the person owns; on the page also those they marked done today, shown
    as "afgerond" until tomorrow."""
    for agreement in _agreements_of(ctx):
        if agreement.owner_id != ctx.user.pk and agreement.done_by_id != ctx.user.pk:
            continue  # another's late agreement: _escalated_agreements
        case = agreement.case
        yield ActionItem(
            "agreement",
            _("Agreement: %(what)s") % {"what": agreement.description},
            case,
            reverse_ids("cases:meeting_detail", case.pk, agreement.meeting_id),
            agreement.due_on,
            ctx.today,
            agreement_id=agreement.pk,
            done=agreement.done_at is not None,
        )


def _escalated_agreements(ctx: Context) -> Iterable[ActionItem]:
    """Agreements of others, overdue by more than the school's term: to the af/directie."""
    if not ctx.managed_school_ids:
        return
    for agreement in _agreements_of(ctx):
        if agreement.owner_id == ctx.user.pk or agreement.done_at is not None:
            continue  # the person's own: _agreements
        case = agreement.case
        if (ctx.today - agreement.due_on).days <= ctx.term(case.school_id, case.step):
            continue
        yield ActionItem(
            "escalated_agreement",
            _("Ask %(owner)s about the late agreement: %(what)s")
            % {"owner": agreement.owner, "what": agreement.description},
            case,
            reverse_ids("cases:meeting_detail", case.pk, agreement.meeting_id),
            agreement.due_on,
            ctx.today,
            escalated=True,
        )


def _talks(ctx: Context) -> Iterable[ActionItem]:
    """A talk stays with whoever takes part in it or planned it until its report is
    written: before its time as the talk itself, after it as the report to write."""
    now = timezone.now()
    talks = talks_waiting(ctx.user)
    for meeting in (meeting for meeting in talks if meeting.until_reported):
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
            reverse_ids("cases:meeting_detail", meeting.case_id, meeting.pk),
            due,
            ctx.today,
        )
    for meeting in (meeting for meeting in talks if meeting.to_sign):
        report = meeting.report
        yield ActionItem(
            "sign",
            _("Sign the report of the %(kind)s") % {"kind": meeting.get_kind_display()},
            meeting.case,
            reverse_ids("cases:meeting_detail", meeting.case_id, meeting.pk),
            timezone.localdate(report.at) + dt.timedelta(days=7),
            ctx.today,
        )


def _present(ctx: Context) -> dict[str, bool]:
    """Which of the rarer kinds of waiting work there is at all for the person, asked in
    one query of a few EXISTS (with the same conditions as their providers' own
    queries), so that a provider with nothing to find asks nothing more: on most days a
    school has no help plan due, no late answer of Veilig Thuis, no consent form
    outstanding, no inzage request and no pupil leaving."""
    if "present" not in ctx.cache:
        sql, params, kinds = _probe_sql(ctx.user, ctx.today, ctx.user.held_roles())
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        ctx.cache["present"] = {kind: bool(answer) for kind, answer in zip(kinds, row, strict=True)}
    return ctx.cache["present"]


# The probe's SQL per (person id, day, roles held), for `_probe_sql`. Emptied when full: a
# server process meets each member of staff at most once a day.
_PROBES: dict[tuple, tuple[str, tuple, tuple[str, ...]]] = {}
_PROBES_KEPT = 1024


def _probe_sql(user: User, today: dt.date, held_roles: tuple) -> tuple[str, tuple, tuple[str, ...]]:
    """The probe's SQL, its parameters and the kinds it answers, in that order. They
    follow from the person, the day and the roles the person holds (`held_roles`, read
    this request), so a server process keeps them for each of those instead of building
    six querysets and compiling them again on every page (about 5 ms of Mijn acties and
    of the start page). Only the question is kept, never an answer: the query runs on
    every page. Another role or another day is another key. The key holds the person's
    id, not the user object, which on a page would keep its request alive."""
    key = (user.pk, today, held_roles)
    if (found := _PROBES.get(key)) is None:
        if len(_PROBES) >= _PROBES_KEPT:
            _PROBES.clear()
        found = _PROBES[key] = _build_probe(user, today, held_roles)
    return found


def _build_probe(
    user: User, today: dt.date, held_roles: tuple
) -> tuple[str, tuple, tuple[str, ...]]:
    roles = roles_per_school(held_roles)
    kinds = {
        "help": help_plans_waiting_query(user, today),
        "vt_decision": reports_awaiting_decision(user, today),
        "vt_conclusion": conclusions_awaited(user, today),
        "consent": consent_forms_awaited(user),
    }
    if (inzage_cases := _inzage_cases(user, roles)) is not None:
        kinds["inzage"] = open_requests_query(inzage_cases)
    if leaving := attention_officer_school_ids(roles):
        kinds["leaving"] = leaving_cases(user, leaving)
    # One row to carry the answers: the person's own.
    probe = {kind: Exists(query.order_by()) for kind, query in kinds.items()}
    query = User.objects.filter(pk=user.pk).values(**probe).query
    sql, params = query.get_compiler(connection=connection).as_sql()
    return sql, tuple(params), tuple(query.annotation_select)


def _help_waiting(ctx: Context) -> list:
    """The plans both help providers ask about, read once for both."""
    if "help" not in ctx.cache:
        present = _present(ctx)["help"]
        ctx.cache["help"] = help_plans_waiting(ctx.user, ctx.today) if present else []
    return ctx.cache["help"]


def _help_plans(ctx: Context) -> Iterable[ActionItem]:
    due = [plan for plan in _help_waiting(ctx) if plan.term_come]
    for plan in sorted(due, key=lambda plan: (plan.term, plan.pk)):
        case = plan.case
        shown, escalated = _routed(ctx, case, plan.term)
        if not shown:
            continue
        yield ActionItem(
            "help_term",
            _("Evaluate the help of %(org)s: did it reach the agreed results?")
            % {"org": plan.provider},
            case,
            reverse_ids("cases:help_evaluation_new", case.pk, plan.pk),
            plan.term,
            ctx.today,
            escalated=escalated,
        )


def _help_arrival(ctx: Context) -> Iterable[ActionItem]:
    """ "Aangekomen bij de hulp?" (seeds 000/004): asked two weeks after the help started,
    until it is answered."""
    unasked = [plan for plan in _help_waiting(ctx) if plan.arrival_unasked]
    for plan in sorted(unasked, key=lambda plan: (plan.created_at, plan.pk)):
        case = plan.case
        due = timezone.localdate(plan.created_at) + ARRIVAL_ASKED_AFTER
        shown, escalated = _routed(ctx, case, due)
        if not shown:
            continue
        yield ActionItem(
            "help_arrival",
            _("Ask whether the family arrived at the help of %(org)s, and record it")
            % {"org": plan.provider},
            case,
            reverse_ids("cases:help_evaluation_new", case.pk, plan.pk),
            due,
            ctx.today,
            escalated=escalated,
        )


def _veilig_thuis(ctx: Context) -> Iterable[ActionItem]:
    if not _present(ctx)["vt_decision"]:
        return
    for report in reports_awaiting_decision(ctx.user, ctx.today):
        case = report.case
        chase_by = add_working_days(report.decision_expected_by, VT_CHASE_WORKING_DAYS)
        shown, escalated = _routed(ctx, case, chase_by)
        if not shown:
            continue
        yield ActionItem(
            "vt_decision",
            _("Veilig Thuis's decision is late: call them and record their answer"),
            case,
            reverse_ids("cases:report_response", case.pk, report.pk),
            report.decision_expected_by,
            ctx.today,
            escalated=escalated,
        )


def _report_missing(ctx: Context) -> Iterable[ActionItem]:
    """A case in 5b without a report: due the next working day, after a noodsituatie
    today; for the responsible person and the aandachtsfunctionaris."""
    for case in (case for case in _cases(ctx) if case.awaiting_report):
        is_af = Role.AANDACHTSFUNCTIONARIS in ctx.roles.get(case.school_id, set())
        if case.responsible_id != ctx.user.pk and not is_af:
            continue
        entered = timezone.localdate(case.step_entered_at)
        yield ActionItem(
            "report_missing",
            _("Record the report to Veilig Thuis"),
            case,
            reverse_ids("cases:report_new", case.pk),
            entered if case.emergency else add_working_days(entered, 1),
            ctx.today,
        )


def _vt_conclusion(ctx: Context) -> Iterable[ActionItem]:
    if not _present(ctx)["vt_conclusion"]:
        return
    for assessment in conclusions_awaited(ctx.user, ctx.today):
        case = assessment.report.case
        due = conclusion_expected_by(assessment)
        shown, escalated = _routed(ctx, case, add_working_days(due, VT_CHASE_WORKING_DAYS))
        if not shown:
            continue
        yield ActionItem(
            "vt_conclusion",
            _("Ask Veilig Thuis for the conclusion of its onderzoek and record it"),
            case,
            reverse_ids("cases:report_response", case.pk, assessment.report_id),
            due,
            ctx.today,
            escalated=escalated,
        )


def _consent(ctx: Context) -> Iterable[ActionItem]:
    if not _present(ctx)["consent"]:
        return
    for consent in consent_forms_awaited(ctx.user):
        case = consent.case
        due = consent.on + dt.timedelta(days=7)
        # Whoever asked the parents chases the form, with the responsible person.
        shown, escalated = _routed(ctx, case, due, owners=[consent.by_id])
        if not shown:
            continue
        yield ActionItem(
            "consent",
            _("Ask the parents for the signed consent form and record it when it comes"),
            case,
            reverse_ids("cases:consent_new", case.pk),
            due,
            ctx.today,
            escalated=escalated,
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
    # The roles are read once per request (held_roles): no query for who is not on a board.
    boards = ctx.user.boards_served()
    if not boards:
        return
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
    if not _present(ctx).get("inzage"):
        return
    requests = open_requests(_inzage_cases(ctx.user, ctx.roles))
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
            reverse_ids("cases:inzage_request", request.case_id, request.pk),
            extension.due_on if extension else request.due_on,
            ctx.today,
        )


def _inzage_cases(user: User, roles: dict[int, set[str]]) -> QuerySet | None:
    """The cases whose inzage requests the person handles (as aandachtsfunctionaris or
    directie), or None where they handle none."""
    schools = [sid for sid, held in roles.items() if held & set(HANDLERS)]
    if not schools:
        return None
    return Case.objects.visible_to(user).filter(school_id__in=schools).values("pk")


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
    if not _present(ctx).get("leaving"):
        return
    for due in leaving_checklists_due(ctx.user, attention_officer_school_ids(ctx.roles)):
        yield ActionItem(
            "leaving",
            _("The pupil leaves the school: work through the leaving checklist"),
            due.case,
            reverse_ids("cases:leaving", due.case.pk),
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


def roles_per_school(held_roles: Iterable[tuple]) -> dict[int, set[str]]:
    """School id -> the roles held there, from `User.held_roles()`."""
    roles: dict[int, set[str]] = {}
    for school_id, _board, role in held_roles:
        if school_id is not None:
            roles.setdefault(school_id, set()).add(role)
    return roles


def _context(
    user: User, today: dt.date, with_done: bool = False, known: Iterable[School] = ()
) -> Context:
    """The person's schools with their roles there (from the roles read once per request);
    the schools themselves from `known` (the request's, kept in the session) where given."""
    roles = roles_per_school(user.held_roles())
    schools = {school.pk: school for school in known if school.pk in roles}
    if len(schools) < len(roles):
        schools = {school.pk: school for school in School.objects.filter(pk__in=roles)}
    terms = {school_id: school_terms(school) for school_id, school in schools.items()}
    return Context(
        user=user, today=today, roles=roles, schools=schools, terms=terms, with_done=with_done
    )


def actions_for(
    user: User,
    today: dt.date | None = None,
    *,
    with_done: bool = False,
    schools: Iterable[School] = (),
) -> list[ActionItem]:
    """Everything waiting for `user`, overdue first, then by date; `with_done` adds the
    agreements they marked done today (`item.done`), for the page. `schools`: the
    person's schools where the caller has them already (a request's)."""
    if not user.is_authenticated:
        return []
    with kept():  # the roles read once, also in a job (reminders)
        return _actions(_context(user, today or timezone.localdate(), with_done, schools))


def _actions(ctx: Context) -> list[ActionItem]:
    items = [item for provider in PROVIDERS for item in provider(ctx)]
    return sorted(items, key=lambda item: item.sort_key)


def actions_and_stagnating(
    user: User, school: School, *, schools: Iterable[School] = ()
) -> tuple[list[ActionItem], list[Case]]:
    """For the start page: what `actions_for` gives, and the cases of `school` past their
    step's term, longest first (as `Case.objects.stagnating`), for whoever manages the
    school; read with the actions' own cases, so without a query of their own."""
    with kept():  # the roles read once, as in actions_for
        ctx = _context(user, timezone.localdate(), known=schools)
        items = _actions(ctx)
    if not ctx.manages(school.pk):
        return items, []
    terms = ctx.terms[school.pk]
    stagnating = [
        case
        for case in _cases(ctx)
        if case.school_id == school.pk and is_past_term(case, terms, ctx.now)
    ]
    return items, sorted(stagnating, key=lambda case: case.step_entered_at)


@dataclass
class ActionGroup:
    """The items of one case (`case`), or of no case (`title`: the school, staff signals)."""

    case: Case | None
    title: str
    items: list[ActionItem]

    @property
    def open_items(self) -> list[ActionItem]:
        return [item for item in self.items if not item.done]

    @property
    def overdue(self) -> int:
        return sum(item.overdue for item in self.items)

    @property
    def late_label(self) -> str:
        late = self.overdue
        return ngettext("%(counter)s late", "%(counter)s late", late) % {"counter": late}

    @property
    def step_label(self) -> str:
        return _step_labels(get_language())[self.case.step] if self.case else ""

    @property
    def sort_key(self) -> tuple:
        dues = [item.due for item in self.open_items if item.due is not None]
        return (
            not self.overdue,
            not self.open_items,  # a group with only "afgerond" items goes last
            min(dues, default=dt.date.max),
            self.case is None,
            self.case.pk if self.case else 0,
            self.title,
        )


@functools.cache
def _step_labels(language: str) -> dict[str, str]:
    return {step.value: str(step.label) for step in Step}


def _group_of(item: ActionItem) -> tuple:
    if item.case is not None:
        return ("case", item.case.pk)
    if item.kind == "staff_signal":
        return ("staff", _("Signals about a staff member"))
    if item.kind == "board_escalation":
        return ("board", _("Escalated to the board"))
    return ("school", _("Items for the school"))


def action_groups(items: list[ActionItem]) -> list[ActionGroup]:
    """Mijn acties per case: groups with a late item first, then by their earliest date;
    inside a group late items first, then by date, "afgerond" last. Items of no case
    (the school, the board, signals about staff) form their own groups in the same order."""
    groups: dict[tuple, ActionGroup] = {}
    for item in items:
        key = _group_of(item)
        if key not in groups:
            title = "" if key[0] == "case" else str(key[1])
            groups[key] = ActionGroup(case=item.case, title=title, items=[])
        groups[key].items.append(item)
    for group in groups.values():
        group.items.sort(key=lambda item: (item.done, *item.sort_key))
    return sorted(groups.values(), key=lambda group: group.sort_key)


def schools_without_attention_officer(board_ids: QuerySet | list[int]) -> QuerySet[School]:
    """For the board's start page."""
    covered = Membership.objects.filter(role=Role.AANDACHTSFUNCTIONARIS).values("school_id")
    return School.objects.filter(board_id__in=board_ids).exclude(pk__in=covered).order_by("name")
