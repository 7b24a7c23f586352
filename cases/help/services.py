"""Step 5a: organise help and follow its effects. A help plan can also run alongside a
report (5b). Its evaluations answer afwegingsvraag 5: help refused or not working sends
the case to 5b; help that reached its results ends, and the case closes with
agreements on monitoring."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import may_act, may_view
from cases.help.models import HelpEvaluation, HelpPlan
from cases.models import Case, is_loaded
from cases.workflow import Step, requires_on_leaving
from meldcode.models import User
from socialmap.models import Organisation

HELP_STEPS = (Step.HELP, Step.REPORT)
Outcome = HelpEvaluation.Outcome


def may_record_help(user: User, case: Case) -> bool:
    return Step(case.step) in HELP_STEPS and may_act(user, case)


def _locked_case(case: Case, by: User) -> Case:
    locked = Case.objects.select_for_update(of=("self",)).select_related("school").get(pk=case.pk)
    if not may_view(by, locked):
        raise PermissionDenied
    if Step(locked.step) not in HELP_STEPS:
        raise ValidationError(_("Help is organised in step 5a, or alongside a report in 5b."))
    if not may_act(by, locked):
        raise PermissionDenied(_("You may not organise help in this case."))
    return locked


def help_plan_create(
    *,
    case: Case,
    by: User,
    organisation: Organisation | None = None,
    help_offered: str,
    case_manager: str,
    results_agreed: str,
    term: dt.date,
    by_school: bool = False,
    carried_by: str = "",
) -> HelpPlan:
    """A help plan by an organisation of the sociale kaart, or by the school itself (a
    handelingsplan in the class, carried by a named colleague)."""
    carried_by = (carried_by or "").strip()
    with transaction.atomic():
        locked = _locked_case(case, by)
        errors = {}
        if by_school:
            if organisation is not None:
                errors["organisation"] = _(
                    "Choose either the school itself or an organisation, not both."
                )
            if not carried_by:
                errors["carried_by"] = _("Name who carries the handelingsplan in the school.")
        elif organisation is None:
            errors["organisation"] = _(
                "Choose an organisation of this school's sociale kaart, or the school itself."
            )
        elif organisation.school_id != locked.school_id or organisation.archived_at is not None:
            errors["organisation"] = _("Choose an organisation of this school's sociale kaart.")
        if term <= timezone.localdate():
            errors["term"] = _("The term by which effect must show lies in the future.")
        if errors:
            raise ValidationError(errors)
        plan = HelpPlan(
            case=locked,
            organisation=None if by_school else organisation,
            by_school=bool(by_school),
            carried_by=carried_by if by_school else "",
            help_offered=help_offered.strip(),
            case_manager=case_manager.strip(),
            results_agreed=results_agreed.strip(),
            term=term,
            created_by=by,
        )
        plan._history_user = by
        plan.full_clean()
        plan.save()
    return plan


ARRIVAL_ASKED_AFTER = dt.timedelta(days=14)


def _arrival_unasked(today: dt.date) -> Q:
    """Started two weeks ago or more, and nobody has said yet whether the family arrived
    at the help (seeds 000/004)."""
    started_before = timezone.make_aware(
        dt.datetime.combine(today - ARRIVAL_ASKED_AFTER, dt.time.max)
    )
    return Q(arrived_on__isnull=True, created_at__lte=started_before)


def _term_come(today: dt.date) -> Q:
    """The term has come and the help has not ended (ended, refused, not working)."""
    ended = HelpEvaluation.objects.filter(
        outcome__in=[Outcome.ENDED, Outcome.REFUSED, Outcome.NOT_WORKING]
    ).values("plan_id")
    return Q(term__lte=today) & ~Q(pk__in=ended)


# What a list of plans shows with each.
_LISTED = ("case__pupil", "case__school", "organisation")


def _of_open_cases(user: User) -> QuerySet[HelpPlan]:
    return HelpPlan.objects.filter(case__in=Case.objects.visible_to(user).open())


def help_plans_waiting_query(user: User, today: dt.date) -> QuerySet[HelpPlan]:
    """The plans `help_plans_waiting` lists, unread (Mijn acties asks first whether
    there are any)."""
    return _of_open_cases(user).filter(_term_come(today) | _arrival_unasked(today))


def help_plans_waiting(user: User, today: dt.date) -> list[HelpPlan]:
    """In one query, the plans of open cases `user` may see whose term has come (as
    `help_plans_due`) or whose arrival is unasked, marked with `term_come` and
    `arrival_unasked` (Mijn acties asks both)."""
    term_come, arrival_unasked = _term_come(today), _arrival_unasked(today)
    return list(
        help_plans_waiting_query(user, today)
        .select_related(*_LISTED)
        .annotate(
            term_come=ExpressionWrapper(term_come, output_field=BooleanField()),
            arrival_unasked=ExpressionWrapper(arrival_unasked, output_field=BooleanField()),
        )
        .order_by("pk")
    )


def help_plan_mark_arrived(*, plan: HelpPlan, by: User, arrived_on: dt.date) -> HelpPlan:
    """Record that the family arrived at the help ("aangekomen bij de hulp?")."""
    with transaction.atomic():
        _locked_case(plan.case, by)
        plan = HelpPlan.objects.select_for_update().get(pk=plan.pk)
        if arrived_on > timezone.localdate() or arrived_on < plan.created_at.date():
            raise ValidationError(
                {"arrived_on": _("Give a date between the plan's start and today.")}
            )
        plan.arrived_on = arrived_on
        plan._history_user = by
        plan.save(update_fields=["arrived_on"])
    return plan


def help_evaluation_record(
    *,
    plan: HelpPlan,
    by: User,
    held_on: dt.date,
    result: str,
    results_reached: bool,
    outcome: str,
    next_term: dt.date | None = None,
) -> HelpEvaluation:
    """Record an evaluation. A new term moves the plan's term (kept in its history)."""
    result = (result or "").strip()
    with transaction.atomic():
        _locked_case(plan.case, by)
        plan = HelpPlan.objects.select_for_update().get(pk=plan.pk)
        errors: dict[str, str] = {}
        if not result:
            errors["result"] = _("Describe the result.")
        if held_on > timezone.localdate() or held_on < plan.created_at.date():
            errors["held_on"] = _("Give a date between the plan's start and today.")
        if outcome not in Outcome.values:
            errors["outcome"] = _("Choose what follows.")
        elif outcome == Outcome.ENDED and not results_reached:
            errors["outcome"] = _(
                "Help ends with its results reached; when it does not reach them, the case "
                "goes to Veilig Thuis."
            )
        elif outcome in (Outcome.REFUSED, Outcome.NOT_WORKING) and results_reached:
            errors["results_reached"] = _("Refused or failing help does not reach its results.")
        elif outcome == Outcome.CONTINUE and (next_term is None or next_term <= held_on):
            errors["next_term"] = _("Give the next term, after the evaluation.")
        if errors:
            raise ValidationError(errors)
        evaluation = HelpEvaluation.objects.create(
            plan=plan,
            held_on=held_on,
            result=result,
            results_reached=results_reached,
            outcome=outcome,
            next_term=next_term if outcome == Outcome.CONTINUE else None,
            by=by,
        )
        if evaluation.next_term:
            plan.term = evaluation.next_term
            plan._history_user = by
            plan.save(update_fields=["term"])
    return evaluation


def plans_of(case: Case) -> list[HelpPlan]:
    if is_loaded(case, "help_plans"):  # by the case page, with their evaluations
        return list(case.help_plans.all())
    return list(
        case.help_plans.select_related("organisation", "created_by").prefetch_related(
            "evaluations__by"
        )
    )


def latest_evaluation(case: Case) -> HelpEvaluation | None:
    """The latest evaluation in this round of the case (not one from before a reopening)."""
    since = case.round_started_at()
    if is_loaded(case, "help_plans"):  # the case page loaded the plans with their evaluations
        evaluations = [e for plan in case.help_plans.all() for e in plan.evaluations.all()]
        return max(
            (e for e in evaluations if e.at >= since),
            key=lambda e: (e.held_on, e.pk),
            default=None,
        )
    return (
        HelpEvaluation.objects.filter(plan__case=case, at__gte=since)
        .order_by("-held_on", "-pk")
        .first()
    )


def help_plans_due(user: User, today: dt.date) -> QuerySet[HelpPlan]:
    """Help plans of open cases `user` may see whose term has come."""
    return (
        _of_open_cases(user)
        .filter(_term_come(today))
        .select_related(*_LISTED)
        .order_by("term", "pk")
    )


@requires_on_leaving(Step.HELP)
def check_leaving_help(case: Case, to: Step) -> None:
    """Question 5: only help that reached its results closes the case; refused or failing
    help sends it to Veilig Thuis."""
    if to != Step.CLOSED:
        return
    evaluation = latest_evaluation(case)
    if evaluation is None or evaluation.outcome == Outcome.CONTINUE:
        raise ValidationError(
            _(
                "Evaluate the help first (question 5): the case closes when the help has "
                "reached its results."
            ),
            code="help_not_evaluated",
        )
    if evaluation.outcome in (Outcome.REFUSED, Outcome.NOT_WORKING):
        raise ValidationError(
            _("The help is refused or does not work: the case must go to Veilig Thuis (5b)."),
            code="help_failed",
        )


def late_help(cases: QuerySet[Case], today: dt.date) -> QuerySet[HelpPlan]:
    """Help plans of these cases past their term without a closing evaluation (the
    evaluation counts them)."""
    closing = [Outcome.ENDED, Outcome.REFUSED, Outcome.NOT_WORKING]
    return HelpPlan.objects.filter(case__in=cases, term__lt=today).exclude(
        evaluations__outcome__in=closing
    )
