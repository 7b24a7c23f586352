""" "Nu te doen": what the case page leads with, per step and per person.

The case page used to open with the moves ("Naar 2.", "Casus sluiten" as equal buttons)
and hide the step's own work lower down. This module decides, from what the case page's
parts already know, the one piece of work of the step for this person (the observation
form in step 1, a consultation in 2, the talk in 3, the weighing in 4, the help in 5a, the
report in 5b, or what the case waits for), and which moves to offer below it: a move whose
condition is not met is shown disabled with the reason, and after a weighing only the path
it decided is offered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.help.models import HelpEvaluation
from cases.meetings.models import Meeting
from cases.models import Case
from cases.report.models import Assessment, Response
from cases.report.services import conclusion_expected_by
from cases.workflow import Step, check_leaving

HELP_CLOSED = frozenset(
    {
        HelpEvaluation.Outcome.ENDED,
        HelpEvaluation.Outcome.REFUSED,
        HelpEvaluation.Outcome.NOT_WORKING,
    }
)

# The step whose work each part of the case page belongs to. A part is shown when it holds
# records, or when the case is in (one of) its step(s): a teacher in step 1 does not get
# the weighing's and the report's empty panels.
PANEL_STEPS: dict[str, frozenset[Step]] = {
    "consultations": frozenset({Step.CONSULT}),
    "meetings": frozenset({Step.CONSULT, Step.TALK, Step.WEIGH, Step.HELP, Step.REPORT}),
    "weighing": frozenset({Step.WEIGH}),
    "help": frozenset({Step.HELP, Step.REPORT}),
    "report": frozenset({Step.REPORT}),
}


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    primary: bool = False


@dataclass
class NowToDo:
    """The step's work for this person: a heading, a sentence, and links to the forms
    (or, in step 1, the observation form itself)."""

    title: str
    text: str = ""
    links: list[Link] = field(default_factory=list)
    observation_form: bool = False
    waiting: bool = False


@dataclass(frozen=True)
class MoveOption:
    """A move of the route as the page offers it: its form, or the reason it cannot be
    made yet."""

    form: object
    blocked: str = ""


def _date(day: dt.date) -> str:
    return date_format(day, "j F Y")


def _talk_work(case: Case, context: dict) -> NowToDo | None:
    if not context.get("may_meet"):
        return None
    now = timezone.now()
    # Talks of an earlier round (before a reopening) do not count (as check_leaving_talk).
    since = case.round_started_at() - dt.timedelta(days=1)
    talks = [
        meeting
        for meeting in context.get("meetings") or []
        if meeting.kind == Meeting.Kind.PARENTS
        and not meeting.cancelled_at
        and meeting.starts_at >= since
    ]
    if any(getattr(meeting, "report", None) is not None for meeting in talks):
        # The talk is held and reported: what is left is the move to the weighing, below.
        return NowToDo(
            title=_("The talk with the parents is reported"),
            text=_(
                "Next is the weighing: move the case to step 4 below. Close the case instead "
                "only when the talk took the worry away."
            ),
        )
    for meeting in talks:
        if getattr(meeting, "report", None) is not None:
            continue
        url = reverse("cases:meeting_detail", args=[case.pk, meeting.pk])
        when = date_format(timezone.localtime(meeting.starts_at), "j F Y H:i")
        if meeting.starts_at <= now:
            return NowToDo(
                title=_("Write the report of the talk"),
                text=_("The talk with the parents of %(when)s has taken place.") % {"when": when},
                links=[Link(_("Write the report"), url, primary=True)],
            )
        return NowToDo(
            title=_("The talk with the parents is planned"),
            text=_("On %(when)s. Afterwards you write its report on the talk's page.")
            % {"when": when},
            links=[Link(_("Open the talk"), url, primary=True)],
        )
    return NowToDo(
        title=_("Plan the talk with the parents"),
        text=_(
            "Discuss the signals with the parents (and the pupil, when that fits their age). "
            "Afterwards you write the report of the talk here."
        ),
        links=[
            Link(
                _("Plan the talk"),
                reverse("cases:meeting_new", args=[case.pk]) + f"?kind={Meeting.Kind.PARENTS}",
                primary=True,
            )
        ],
    )


def _report_work(case: Case, context: dict) -> NowToDo | None:
    if context.get("report_missing"):
        if not context.get("may_report"):
            return None  # an earlier round's report says nothing about this one
        return NowToDo(
            title=_("Record the report to Veilig Thuis"),
            text=_(
                "The case is in step 5b: report to Veilig Thuis (0800-2000) and record it here."
            ),
            links=[
                Link(_("Record the report"),
                     reverse("cases:report_new", args=[case.pk]), primary=True),
                Link(_("Call sheet for the report"), reverse("cases:call_sheet",
                                                            args=[case.pk, "melding"])),
            ],
        )  # fmt: skip
    reports = context.get("reports") or []
    if not reports:
        return None
    report = reports[-1]
    responses = list(report.responses.all())
    # Only who may act records the answer (the form refuses others): the rest is told what
    # the case waits for, without a button that ends in "no access".
    may_answer = bool(context.get("may_answer"))
    answer_url = reverse("cases:report_response", args=[case.pk, report.pk])
    links = [Link(_("Record an answer of Veilig Thuis"), answer_url, primary=True)]
    if not may_answer:
        links = []
    if not any(r.kind in (Response.Kind.ASSESSMENT, Response.Kind.DECISION) for r in responses):
        return NowToDo(
            title=_("Waiting for Veilig Thuis (by %(day)s)")
            % {"day": _date(report.decision_expected_by)},
            text=_(
                "Veilig Thuis decides within five working days what it does with the report. "
                "Record its answer when it comes; the school keeps an eye on the pupil."
            ),
            links=links,
            waiting=True,
        )
    investigations = [
        r
        for r in responses
        if r.kind == Response.Kind.ASSESSMENT and r.assessment == Assessment.INVESTIGATION
    ]
    concluded = any(r.kind == Response.Kind.CONCLUSION for r in responses)
    if investigations and not concluded:
        return NowToDo(
            title=_("Waiting for the conclusion of Veilig Thuis (by %(day)s)")
            % {"day": _date(conclusion_expected_by(investigations[-1]))},
            text=_(
                "Veilig Thuis investigates. Record its conclusion when it comes; ask for it "
                "when it is late. Help can start alongside (step 5a)."
            ),
            links=links,
            waiting=True,
        )
    if not may_answer:
        return None
    return NowToDo(
        title=_("Follow up the answer of Veilig Thuis"),
        text=_(
            "Veilig Thuis has answered. Organise the help that is agreed (step 5a), or close "
            "the case with how the school keeps following the pupil."
        ),
        links=links,
    )


def _leaving_work(case: Case, context: dict) -> NowToDo | None:
    """A pupil who left: the talk, the weighing or the help of the step wait for a family
    that is gone; the aandachtsfunctionaris works through the leaving checklist first."""
    checklist = context.get("leaving")
    if checklist is None or not context.get("may_record_leaving"):
        return None
    url = reverse("cases:leaving", args=[case.pk])
    if checklist.done:
        return NowToDo(
            title=_("The leaving checklist is done"),
            text=_(
                "Close the case from the checklist's page, with what was arranged, or keep "
                "following the route when the school still reports or helps."
            ),
            links=[Link(_("Leaving checklist"), url, primary=True)],
        )
    return NowToDo(
        title=_("The pupil left the school: complete the leaving checklist"),
        text=_(
            "A family that leaves is itself a signal. Weigh whether to report, inform the "
            "parents and arrange a warm handover to the new school."
        ),
        links=[Link(_("Leaving checklist"), url, primary=True)],
    )


def now_to_do(user, case: Case, context: dict) -> NowToDo | None:
    """The step's work for `user`, from the context the case page's parts composed."""
    step = Step(case.step)
    if not case.is_open:
        return None
    # The report a weighing or a noodsituatie decided comes first, also after leaving.
    if not (step == Step.REPORT and context.get("report_missing")):
        leaving = _leaving_work(case, context)
        if leaving is not None:
            return leaving
    if step == Step.SIGNALS:
        if context.get("dossier_quick_form") is not None:
            return NowToDo(
                title=_("Write down what you see and hear"),
                text=_(
                    "Describe facts: what you saw or heard, when, and in whose words. Tick the "
                    "signals that fit. Consult the intern begeleider when you are worried."
                ),
                observation_form=True,
            )
        return None
    if step == Step.CONSULT and context.get("may_consult"):
        return NowToDo(
            title=_("Consult and ask for consent"),
            text=_(
                "Discuss the signals with a colleague, Veilig Thuis (anonymously) or another "
                "expert, and record the advice. Ask the parents for consent before you consult "
                "someone outside the school with the pupil's name."
            ),
            links=[
                Link(_("Record a consultation"),
                     reverse("cases:consultation_new", args=[case.pk]), primary=True),
                Link(_("Record consent of the parents"),
                     reverse("cases:consent_new", args=[case.pk])),
            ],
        )  # fmt: skip
    if step == Step.TALK:
        return _talk_work(case, context)
    if step == Step.WEIGH and context.get("may_weigh"):
        if context.get("current_weighing") is None:
            return NowToDo(
                title=_("Weigh the signals"),
                text=_(
                    "Answer the afwegingsvragen and decide: is a report necessary, is help "
                    "possible? Consult Veilig Thuis about questions 3 and 4."
                ),
                links=[
                    Link(_("Weigh: answer the afwegingsvragen"),
                         reverse("cases:weighing_new", args=[case.pk]), primary=True),
                    Link(_("Call sheet for advice from Veilig Thuis"),
                         reverse("cases:call_sheet", args=[case.pk, "advies"])),
                ],
            )  # fmt: skip
        return NowToDo(
            title=_("Take the path the weighing decided"),
            text=_("The weighing is recorded. Move the case on below, with its reason."),
        )
    if step == Step.HELP and context.get("may_record_help"):
        plans = context.get("help_plans") or []
        if not plans:
            return NowToDo(
                title=_("Organise the help"),
                text=_("Record the help plan: who helps, with what aim, and when you evaluate."),
                links=[Link(_("Add a help plan"), reverse("cases:help_plan_new", args=[case.pk]),
                            primary=True)],
            )  # fmt: skip
        # A plan whose evaluation ended it (results reached, refused, not working) asks
        # nothing more: what is left is the move its outcome calls for.
        plans = [
            plan
            for plan in plans
            if not any(e.outcome in HELP_CLOSED for e in plan.evaluations.all())
        ]
        if not plans:
            return NowToDo(
                title=_("The help is evaluated"),
                text=_(
                    "Move the case on below: close it when the help reached its results, or "
                    "to Veilig Thuis (5b) when it was refused or did not work."
                ),
            )
        return NowToDo(
            title=_("Follow the help"),
            text=_("Record whether the help arrived, and evaluate it at its term (question 5)."),
            links=[
                Link(
                    _("Record arrival or evaluate: %(plan)s") % {"plan": plan.provider},
                    reverse("cases:help_evaluation_new", args=[case.pk, plan.pk]),
                    primary=index == 0,
                )
                for index, plan in enumerate(plans)
            ],
        )
    if step == Step.REPORT:
        return _report_work(case, context)
    return None


def move_options(case: Case, forms: list, *, decided: set[Step] | None) -> list[MoveOption]:
    """The moves below "nu te doen": each with the reason it is blocked, if it is. After a
    weighing (`decided`), a move to a path it did not decide is not offered at all."""
    options = []
    for form in forms:
        if decided is not None and form.target not in decided:
            continue
        try:
            check_leaving(case, form.target)
        except ValidationError as error:
            options.append(MoveOption(form=form, blocked=" ".join(error.messages)))
        else:
            options.append(MoveOption(form=form))
    return options


def visible_panels(case: Case, context: dict) -> set[str]:
    """The parts of the case page to show: those with records, and those of the step the
    case is in."""
    records = {
        "consultations": context.get("consultations") or context.get("consents")
        or context.get("verwijsindex"),
        "meetings": context.get("meetings"),
        "weighing": context.get("weighings"),
        "help": context.get("help_plans"),
        "report": context.get("reports") or context.get("report_exceptions"),
    }  # fmt: skip
    step = Step(case.step)
    return {name for name, steps in PANEL_STEPS.items() if records[name] or step in steps}
