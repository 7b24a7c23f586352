"""The meldcode route as data: its steps, every allowed move, and which moves need a reason.

Who may take a move is not decided here but by the school's responsibility matrix
(`cases.models.StepResponsibility`): whoever may act in the step a case is in may
move it on.

Some moves also need a record of a part of the case (leaving step 4 needs a weighing,
for example). Such a part registers a check with `requires_on_leaving`; the core's
`case_advance` runs the checks of the step a case leaves, except for a noodsituatie,
which is the exit for acute danger and waits for nothing.
"""

from collections.abc import Callable

from django.db import models
from django.utils.translation import gettext_lazy as _


class Step(models.TextChoices):
    SIGNALS = "1", _("1. Map the signals")
    CONSULT = "2", _("2. Consult colleagues and Veilig Thuis")
    TALK = "3", _("3. Talk with the parents and the pupil")
    WEIGH = "4", _("4. Weigh")
    HELP = "5a", _("5a. Organise help and follow its effects")
    REPORT = "5b", _("5b. Report to Veilig Thuis")
    CLOSED = "closed", _("Closed")


OPEN_STEPS: frozenset[Step] = frozenset(step for step in Step if step != Step.CLOSED)

# The regular route (DOMAIN.md, "The route").
ROUTE: dict[Step, set[Step]] = {
    Step.SIGNALS: {Step.CONSULT},
    Step.CONSULT: {Step.TALK, Step.WEIGH},
    Step.TALK: {Step.WEIGH, Step.CLOSED},
    Step.WEIGH: {Step.HELP, Step.REPORT, Step.CLOSED},
    Step.HELP: {Step.REPORT, Step.CLOSED},
    # Since 2019 a report and help can run side by side: a reported case can start or
    # keep a help plan, and is followed until it is closed with a reason.
    Step.REPORT: {Step.HELP, Step.CLOSED},
    Step.CLOSED: {Step.SIGNALS},
}

# Noodsituatie: from any open step straight to 5b (Veilig Thuis or 112 called now).
EMERGENCY: dict[Step, set[Step]] = {step: {Step.REPORT} for step in OPEN_STEPS - {Step.REPORT}}

# Every allowed move.
TRANSITIONS: dict[Step, set[Step]] = {
    step: ROUTE.get(step, set()) | EMERGENCY.get(step, set()) for step in Step
}


# Leerling vertrokken: once the pupil has left the school, an open case may close from any
# step, with the leaving checklist done (cases.leaving). Not in TRANSITIONS: it is no move
# of the route, and it is allowed only for a pupil who left (case_advance(departure=True)).
DEPARTURE: dict[Step, set[Step]] = {step: {Step.CLOSED} for step in OPEN_STEPS}
# The reason category such a close is stored with, so that it can be counted and shown.
PUPIL_LEFT = "pupil_left"
PUPIL_LEFT_LABEL = _("pupil left the school")
DEPARTURE_QUESTION = _("The pupil left the school: what was arranged, and why can the case close?")


def is_emergency(from_step: Step, to_step: Step) -> bool:
    """A jump to 5b that skips the weighing is only allowed as a noodsituatie."""
    return to_step in EMERGENCY.get(from_step, set()) - ROUTE.get(from_step, set())


# Moves that must carry a reason, and what the reason must say.
REASON_REQUIRED: dict[tuple[Step, Step], str] = {
    (Step.CONSULT, Step.WEIGH): _(
        "Why is the talk with the parents skipped? Only allowed for the safety of the child, "
        "a staff member or someone else, or when there is good reason to expect the family "
        "to break contact."
    ),
    (Step.TALK, Step.CLOSED): _("How was the worry taken away?"),
    (Step.WEIGH, Step.CLOSED): _("Why is there no suspicion after weighing?"),
    (Step.HELP, Step.REPORT): _("Why is the help refused or not working?"),
    (Step.HELP, Step.CLOSED): _("Which agreements on monitoring end the help?"),
    (Step.REPORT, Step.CLOSED): _(
        "Why can the case be closed, and how does the school keep following the pupil?"
    ),
    (Step.CLOSED, Step.SIGNALS): _("Which new or lasting worries reopen the case?"),
    **{
        (step, Step.REPORT): _("Who called Veilig Thuis or 112, when, and why was it urgent?")
        for step in EMERGENCY
        if is_emergency(step, Step.REPORT)
    },
}


class SkipReason(models.TextChoices):
    """Why the talk with the parents (step 3) is skipped: the only lawful grounds (seed 002,
    DOMAIN.md). Kept beside the free-text reason so the evaluation can count them."""

    CHILD_SAFETY = "child_safety", _("the safety of the child")
    STAFF_SAFETY = "staff_safety", _("the safety of a staff member")
    OTHER_SAFETY = "other_safety", _("the safety of someone else")
    BREAKS_CONTACT = "breaks_contact", _("the family would break contact")


# Moves whose reason is also given as one of these categories.
REASON_CATEGORIES: dict[tuple[Step, Step], type[models.TextChoices]] = {
    (Step.CONSULT, Step.WEIGH): SkipReason,
}


def allowed_moves(step: Step) -> list[Step]:
    return sorted(TRANSITIONS[Step(step)], key=list(Step).index)


def reason_question(from_step: Step, to_step: Step) -> str | None:
    return REASON_REQUIRED.get((Step(from_step), Step(to_step)))


# A check takes the case (locked, still in the step it leaves) and the step it moves to,
# and raises ValidationError when the part's record that the move needs is missing.
LeaveCheck = Callable[[object, Step], None]
LEAVE_CHECKS: dict[Step, list[LeaveCheck]] = {step: [] for step in Step}
# The checks that also hold when a case closes because the pupil left (the others ask
# for something the family is no longer there for: a talk, a weighing, help).
ON_DEPARTURE: set[LeaveCheck] = set()


def requires_on_leaving(
    step: Step, *, departure: bool = False
) -> Callable[[LeaveCheck], LeaveCheck]:
    """Register a part's check for moves out of `step` (used as a decorator); with
    `departure`, it also holds for a close because the pupil left."""

    def register(check: LeaveCheck) -> LeaveCheck:
        if check not in LEAVE_CHECKS[step]:
            LEAVE_CHECKS[step].append(check)
        if departure:
            ON_DEPARTURE.add(check)
        return check

    return register


def check_leaving(case, to: Step, *, departure: bool = False) -> None:
    for check in LEAVE_CHECKS[Step(case.step)]:
        if not departure or check in ON_DEPARTURE:
            check(case, Step(to))
