"""Step 5a: the help plan and its evaluations (afwegingsvraag 5)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.help.models import HelpEvaluation, HelpPlan
from cases.help.services import (
    help_evaluation_record,
    help_plan_create,
    help_plan_mark_arrived,
    help_plans_due,
)
from cases.services import case_advance
from cases.workflow import Step
from tests.cases.factories import ready_to_leave
from tests.clock import today
from tests.socialmap.factories import OrganisationFactory

Outcome = HelpEvaluation.Outcome


@pytest.fixture
def organisation(cast):
    return OrganisationFactory(school=cast.school, name="Wijkteam Testdorp")


def plan_for(case, by, organisation, term=None):
    return help_plan_create(
        case=case,
        by=by,
        organisation=organisation,
        help_offered="Opvoedondersteuning thuis.",
        case_manager="M. de Vries, wijkteam",
        results_agreed="Vaste bedtijden; kind komt uitgerust op school.",
        term=term or today() + dt.timedelta(days=42),
    )


def evaluate(plan, by, outcome, reached, next_term=None):
    return help_evaluation_record(
        plan=plan, by=by, held_on=today(), result="Besproken met ouders en wijkteam.",
        results_reached=reached, outcome=outcome, next_term=next_term,
    )  # fmt: skip


def test_the_af_records_a_help_plan_with_organisation_manager_results_and_term(
    cast, case_at, organisation
):
    plan = plan_for(case_at(Step.HELP), cast.af, organisation)
    assert (plan.organisation, plan.case_manager) == (organisation, "M. de Vries, wijkteam")
    assert plan.arrived_on is None


def test_a_help_plan_can_run_alongside_a_report(cast, case_at, organisation):
    assert plan_for(case_at(Step.REPORT), cast.af, organisation).case.step == Step.REPORT


def test_help_is_not_organised_before_the_weighing(cast, case_at, organisation):
    with pytest.raises(ValidationError):
        plan_for(case_at(Step.WEIGH), cast.af, organisation)


def test_a_teacher_cannot_organise_help(cast, case_at, organisation):
    with pytest.raises(PermissionDenied):
        plan_for(case_at(Step.HELP), cast.leerkracht, organisation)


def test_the_organisation_comes_from_the_schools_own_sociale_kaart(cast, case_at):
    elsewhere = OrganisationFactory(school=cast.other_school)
    with pytest.raises(ValidationError) as refused:
        plan_for(case_at(Step.HELP), cast.af, elsewhere)
    assert "organisation" in refused.value.message_dict
    assert not HelpPlan.objects.exists()


def test_the_term_lies_in_the_future(cast, case_at, organisation):
    with pytest.raises(ValidationError) as refused:
        plan_for(case_at(Step.HELP), cast.af, organisation, term=today())
    assert "term" in refused.value.message_dict


def test_arrival_at_the_help_is_recorded_and_kept_in_the_history(cast, case_at, organisation):
    plan = plan_for(case_at(Step.HELP), cast.af, organisation)
    help_plan_mark_arrived(plan=plan, by=cast.af, arrived_on=today())
    plan.refresh_from_db()
    assert plan.arrived_on == today()
    assert plan.history.count() == 2


def test_an_evaluation_that_continues_sets_the_next_term(cast, case_at, organisation):
    plan = plan_for(case_at(Step.HELP), cast.af, organisation)
    later = today() + dt.timedelta(days=90)
    evaluate(plan, cast.af, Outcome.CONTINUE, False, next_term=later)
    plan.refresh_from_db()
    assert plan.term == later


def test_continuing_help_needs_a_next_term(cast, case_at, organisation):
    plan = plan_for(case_at(Step.HELP), cast.af, organisation)
    with pytest.raises(ValidationError) as refused:
        evaluate(plan, cast.af, Outcome.CONTINUE, False)
    assert "next_term" in refused.value.message_dict


def test_help_ends_only_with_its_results_reached(cast, case_at, organisation):
    plan = plan_for(case_at(Step.HELP), cast.af, organisation)
    with pytest.raises(ValidationError):
        evaluate(plan, cast.af, Outcome.ENDED, False)


def test_closing_from_5a_needs_an_evaluation_of_the_help(cast, case_at, organisation):
    case = case_at(Step.HELP)
    plan_for(case, cast.af, organisation)
    with pytest.raises(ValidationError) as refused:
        case_advance(case=case, to=Step.CLOSED, by=cast.af, reason="Afspraken over monitoring.")
    assert refused.value.code == "help_not_evaluated"


@pytest.mark.parametrize("outcome", [Outcome.REFUSED, Outcome.NOT_WORKING])
def test_refused_or_failing_help_sends_the_case_to_5b_not_to_closed(
    cast, case_at, organisation, outcome
):
    case = case_at(Step.HELP)
    evaluate(plan_for(case, cast.af, organisation), cast.af, outcome, False)
    with pytest.raises(ValidationError) as refused:
        case_advance(case=case, to=Step.CLOSED, by=cast.af, reason="Afspraken over monitoring.")
    assert refused.value.code == "help_failed"
    case_advance(case=case, to=Step.REPORT, by=cast.af, reason="Ouders weigeren de hulp.")
    assert case.step == Step.REPORT


def test_help_that_reached_its_results_closes_the_case(cast, case_at, organisation):
    case = case_at(Step.HELP)
    evaluate(plan_for(case, cast.af, organisation), cast.af, Outcome.ENDED, True)
    case_advance(case=case, to=Step.CLOSED, by=cast.af, reason="Leerkracht volgt het kind.")
    assert case.step == Step.CLOSED


def test_a_reported_case_can_start_help(cast, case_at):
    case = case_at(Step.REPORT)
    ready_to_leave(case, Step.HELP, cast.af)  # since issue 21: the report comes first
    case_advance(case=case, to=Step.HELP, by=cast.af)
    assert case.step == Step.HELP


def test_help_plans_whose_term_has_come_are_listed_only_for_who_may_see_them(
    cast, case_at, organisation
):
    plan = plan_for(case_at(Step.HELP), cast.af, organisation)
    later = plan.term + dt.timedelta(days=1)
    assert list(help_plans_due(cast.af, later)) == [plan]
    assert list(help_plans_due(cast.af, today())) == []
    assert list(help_plans_due(cast.other_leerkracht, later)) == []


def test_the_plan_page_is_404_for_an_outsider_and_403_for_a_teacher(
    cast, case_at, organisation, client_for
):
    case = case_at(Step.HELP)
    url = reverse("cases:help_plan_new", args=[case.pk])
    assert client_for(cast.other_leerkracht).get(url).status_code == 404
    assert client_for(cast.leerkracht).get(url).status_code == 403
    assert client_for(cast.af).get(url).status_code == 200


def test_a_bad_term_gets_a_dutch_message_next_to_the_field(cast, case_at, organisation, client_for):
    case = case_at(Step.HELP)
    response = client_for(cast.af).post(
        reverse("cases:help_plan_new", args=[case.pk]),
        {
            "organisation": organisation.pk,
            "help_offered": "Hulp",
            "case_manager": "M. de Vries",
            "results_agreed": "Rust",
            "term": (today() - dt.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "ligt in de toekomst" in response.content.decode()
    assert not HelpPlan.objects.exists()


# Since issue 21 -------------------------------------------------------------------------


def test_the_school_itself_can_give_the_help_with_a_handelingsplan(cast, case_at):
    plan = help_plan_create(
        case=case_at(Step.HELP), by=cast.af, by_school=True,
        carried_by="De leerkracht van groep 5, met de ib'er",
        help_offered="Handelingsplan in de klas: vaste plek, dagelijks gesprekje.",
        case_manager="Intern begeleider", results_agreed="Rustiger in de klas.",
        term=today() + dt.timedelta(days=42),
    )  # fmt: skip
    assert plan.organisation is None and plan.provider == "de school zelf"


def test_help_by_the_school_names_who_carries_it(cast, case_at):
    with pytest.raises(ValidationError) as refused:
        help_plan_create(
            case=case_at(Step.HELP), by=cast.af, by_school=True, help_offered="Plan.",
            case_manager="Ib'er", results_agreed="Rust.", term=today() + dt.timedelta(days=42),
        )  # fmt: skip
    assert "carried_by" in refused.value.message_dict


def test_a_help_plan_without_school_or_organisation_is_refused(cast, case_at):
    with pytest.raises(ValidationError) as refused:
        help_plan_create(
            case=case_at(Step.HELP), by=cast.af, help_offered="Plan.", case_manager="Ib'er",
            results_agreed="Rust.", term=today() + dt.timedelta(days=42),
        )  # fmt: skip
    assert "organisation" in refused.value.message_dict


def test_arrival_at_the_help_is_asked_two_weeks_after_its_start_until_answered(
    cast, case_at, organisation
):
    from cases.actions.services import actions_for
    from cases.help.services import help_plan_mark_arrived

    plan = plan_for(case_at(Step.HELP, responsible=cast.af), cast.af, organisation)
    start = timezone.localdate(plan.created_at)
    asked = lambda day: [  # noqa: E731
        i for i in actions_for(cast.af, today=day) if i.kind == "help_arrival"
    ]
    assert asked(start + dt.timedelta(days=13)) == []
    assert [i.due for i in asked(start + dt.timedelta(days=14))] == [start + dt.timedelta(days=14)]
    help_plan_mark_arrived(plan=plan, by=cast.af, arrived_on=start)
    assert asked(start + dt.timedelta(days=20)) == []
