"""Step 4, the weighing: the five afwegingsvragen (seed 001, bijlage 4), the advice the
application derives from the answers, and the two decisions (since 2019): is a report
necessary, and is help (also) possible? Both can be yes.

The application advises; a person decides, and may deviate from the advice only with a
reason. One thing is never a choice: acute or structural unsafety, or doubt about it
(question 2), means a report.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.access import may_act, may_view
from cases.models import Case, is_loaded
from cases.weighing.models import Answer, WeighedWith, Weighing, WeighingAnswer
from cases.workflow import Step, requires_on_leaving
from meldcode.models import User

QUESTIONS: dict[int, str] = {
    1: gettext_lazy(
        "Is there, after steps 1 to 3, a (strong) suspicion of domestic violence or child abuse?"
    ),
    2: gettext_lazy("Is there acute or structural unsafety?"),
    3: gettext_lazy("Can the school or a partner offer or arrange effective help?"),
    4: gettext_lazy("Do the people involved accept that help and commit to it?"),
    5: gettext_lazy("Does the help reach the agreed results within the agreed term?"),
}
# Question 5 is answered when the help is evaluated (cases.help), not in the weighing.
WEIGHED_HERE = (1, 2, 3, 4)
REASONING_MAX = 5000


@dataclass(frozen=True)
class Advice:
    report: bool
    help: bool

    @property
    def close(self) -> bool:
        return not (self.report or self.help)

    @property
    def next_step(self) -> Step:
        if self.report:
            return Step.REPORT
        return Step.HELP if self.help else Step.CLOSED

    @property
    def text(self) -> str:
        if self.report and self.help:
            return _("Report to Veilig Thuis, and organise help alongside the report.")
        if self.report:
            return _("Report to Veilig Thuis.")
        if self.help:
            return _("Organise help and follow its effects (no report for now).")
        return _("No suspicion: record the weighing and close the case.")


def report_required(answers: Mapping[int, str]) -> bool:
    """Question 2 yes or doubt: a report is required, whatever else is answered."""
    return answers.get(1) == Answer.YES and answers.get(2) in (Answer.YES, Answer.DOUBT)


def derive_advice(answers: Mapping[int, str]) -> Advice:
    """The advice of the afwegingskader for answers to questions 1 to 4 (`{1: "yes", …}`)."""
    if answers.get(1) != Answer.YES:
        return Advice(report=False, help=False)
    help_works = answers.get(3) == Answer.YES and answers.get(4) == Answer.YES
    report = report_required(answers) or not help_works
    return Advice(report=report, help=help_works)


def _clean_answers(answers: Mapping) -> dict[int, tuple[str, str]]:
    errors: dict[str, str] = {}
    cleaned: dict[int, tuple[str, str]] = {}
    for key, value in answers.items():
        try:
            question = int(key)
            answer, reasoning = value
        except (TypeError, ValueError):
            raise ValidationError(_("Give each answer as (answer, reasoning).")) from None
        if question not in WEIGHED_HERE:
            raise ValidationError(_("The weighing answers questions 1 to 4."))
        answer = str(answer or "").strip()
        reasoning = str(reasoning or "").strip()
        allowed = (
            (Answer.YES, Answer.NO, Answer.DOUBT) if question == 2 else (Answer.YES, Answer.NO)
        )
        if not answer:
            continue
        if answer not in allowed:
            errors[f"q{question}"] = _("Choose one of the answers.")
        elif not reasoning:
            errors[f"q{question}_reasoning"] = _("Give the reasoning behind this answer.")
        elif len(reasoning) > REASONING_MAX:
            errors[f"q{question}_reasoning"] = _("Keep the reasoning under %(max)s characters.") % {
                "max": REASONING_MAX
            }
        cleaned[question] = (answer, reasoning)
    if 1 not in cleaned:
        errors.setdefault("q1", _("Answer question 1 first."))
    elif cleaned[1][0] == Answer.NO:
        # No suspicion: the weighing ends here (seed 001, bijlage 4); questions 2 to 4 are
        # not asked, so an answer there (acute unsafety, say) cannot sit beside a closing.
        for question in (2, 3, 4):
            if question in cleaned:
                errors[f"q{question}"] = _(
                    "After no to question 1, questions 2 to 4 are not answered. Is there "
                    "acute or structural unsafety? Then there is a suspicion: answer yes to "
                    "question 1."
                )
    elif cleaned[1][0] == Answer.YES:
        for question in (2, 3, 4):
            if question not in cleaned:
                errors.setdefault(
                    f"q{question}", _("After a yes to question 1, answer this question too.")
                )
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_decision(
    answers: dict[int, tuple[str, str]],
    advice: Advice,
    report_needed: bool,
    help_possible: bool,
    reason: str,
) -> None:
    plain = {question: answer for question, (answer, _r) in answers.items()}
    if report_required(plain) and not report_needed:
        raise ValidationError(
            {
                "report_needed": _(
                    "Question 2 is answered yes or doubt: a report to Veilig Thuis is "
                    "required. This decision cannot deviate from that."
                )
            },
            code="report_required",
        )
    if plain[1] == Answer.YES and not (report_needed or help_possible):
        raise ValidationError(
            {
                "help_possible": _(
                    "There is a suspicion: decide on a report, on help, or on both. A case is "
                    "closed after weighing only when question 1 is answered no."
                )
            },
            code="suspicion_needs_action",
        )
    if (report_needed, help_possible) != (advice.report, advice.help) and not reason:
        raise ValidationError(
            {"reason": _("The decision deviates from the advice: give the reason.")},
            code="deviation_needs_reason",
        )


def _clean_weighed_with(values: Iterable[str]) -> list[str]:
    chosen = [str(value) for value in values or ()]
    unknown = [value for value in chosen if value not in WeighedWith.values]
    if unknown:
        raise ValidationError({"weighed_with": _("Choose from the list.")})
    return [value for value in WeighedWith.values if value in chosen]


def may_weigh(user: User, case: Case) -> bool:
    return Step(case.step) == Step.WEIGH and may_act(user, case)


def weighing_record(
    *,
    case: Case,
    by: User,
    answers: Mapping,
    report_needed: bool,
    help_possible: bool,
    reason: str = "",
    veilig_thuis_contact: str = "",
    weighed_with: Iterable[str] = (),
    staff_involved: bool = False,
    board_informed: bool = False,
) -> Weighing:
    """Record a weighing of step 4 with its answers and the two decisions.

    `answers` is `{1: ("yes"|"no", reasoning), 2: ("yes"|"no"|"doubt", reasoning), 3: (…),
    4: (…)}`. `weighed_with` names who weighed together (WeighedWith values); where a
    staff member is involved, the bevoegd gezag must know (`board_informed`). Raises
    PermissionDenied for someone who may not weigh this case and ValidationError for
    missing answers or a decision the answers do not allow.
    """
    reason = (reason or "").strip()
    veilig_thuis_contact = (veilig_thuis_contact or "").strip()
    with transaction.atomic():
        locked = (
            Case.objects.select_for_update(of=("self",)).select_related("school").get(pk=case.pk)
        )
        if not may_view(by, locked):
            raise PermissionDenied
        if not may_act(by, locked):
            raise PermissionDenied(_("You may not weigh this case."))
        if Step(locked.step) != Step.WEIGH:
            raise ValidationError(_("A case is weighed in step 4."), code="not_in_step_4")
        together = _clean_weighed_with(weighed_with)
        if staff_involved and not board_informed:
            raise ValidationError(
                {
                    "board_informed": _(
                        "A staff member is involved: the bevoegd gezag (the board) must know "
                        "before the weighing is recorded."
                    )
                },
                code="board_not_informed",
            )
        cleaned = _clean_answers(answers)
        advice = derive_advice({question: answer for question, (answer, _r) in cleaned.items()})
        _check_decision(cleaned, advice, bool(report_needed), bool(help_possible), reason)
        weighing = Weighing.objects.create(
            case=locked,
            by=by,
            advice_report=advice.report,
            advice_help=advice.help,
            report_needed=bool(report_needed),
            help_possible=bool(help_possible),
            reason=reason,
            veilig_thuis_contact=veilig_thuis_contact,
            weighed_with=",".join(together),
            staff_involved=bool(staff_involved),
            board_informed=bool(board_informed),
        )
        WeighingAnswer.objects.bulk_create(
            WeighingAnswer(
                weighing=weighing, question=q, answer=answer, reasoning=reasoning, given_by=by
            )
            for q, (answer, reasoning) in sorted(cleaned.items())
        )
    return weighing


def weighings_of(case: Case) -> list[Weighing]:
    """Every weighing of the case, oldest first, with its answers."""
    if is_loaded(case, "weighings"):  # by the case page
        return list(case.weighings.all())
    return list(case.weighings.select_related("by").prefetch_related("answers__given_by"))


def current_weighing(case: Case) -> Weighing | None:
    """The latest weighing made since the case last entered step 4 (a weighing from an
    earlier round, before the case was reopened, does not count)."""
    since = [weighing for weighing in case.weighings.all() if weighing.at >= case.step_entered_at]
    return max(since, key=lambda weighing: (weighing.at, weighing.pk), default=None)


def next_steps_after(weighing: Weighing) -> set[Step]:
    """Where a case may go from step 4 after this weighing."""
    if weighing.report_needed:
        return {Step.REPORT}
    if weighing.help_possible:
        return {Step.HELP}
    return {Step.CLOSED}


@requires_on_leaving(Step.WEIGH)
def check_leaving_weighing(case: Case, to: Step) -> None:
    weighing = current_weighing(case)
    if weighing is None:
        raise ValidationError(
            _("Record the weighing (the afwegingsvragen and the decisions) before leaving step 4."),
            code="weighing_missing",
        )
    if to not in next_steps_after(weighing):
        raise ValidationError(
            _("The weighing decided otherwise: from here the case goes to %(step)s.")
            % {"step": ", ".join(str(step.label) for step in sorted(next_steps_after(weighing)))},
            code="weighing_decided_otherwise",
        )
