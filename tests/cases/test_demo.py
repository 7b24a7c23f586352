"""manage.py demo gives De Regenboog a case in every step, each reached through real moves."""

import itertools

from django.core.management import call_command

from cases.models import Case
from cases.workflow import Step
from meldcode.demo import REGENBOOG


def test_demo_gives_de_regenboog_a_case_in_every_step_and_is_idempotent(db):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    cases = Case.objects.filter(school__name=REGENBOOG)
    assert {case.step for case in cases} == {step.value for step in Step}
    assert cases.count() == 8
    for case in cases:
        moves = list(case.transitions.order_by("at", "pk"))
        assert moves[-1].to_step == case.step
        assert all(a.to_step == b.from_step for a, b in itertools.pairwise(moves))
    assert cases.filter(transitions__emergency=True, step=Step.REPORT).exists()


def test_the_demo_cases_in_5a_and_5b_carry_a_weighing_a_help_plan_and_a_report(db):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    cases = Case.objects.filter(school__name=REGENBOOG)
    in_help = cases.get(step=Step.HELP)
    assert in_help.weighings.exists() and in_help.help_plans.exists()
    reported = cases.filter(step=Step.REPORT, reports__isnull=False).get()
    assert reported.weighings.exists()
    # Since issue 21 the demo goes through the services: an onderzoek, its conclusion awaited.
    assert reported.reports.get().responses.filter(kind="assessment").exists()


def test_the_demo_cases_past_step_2_carry_consultations_and_past_3_a_reported_talk(db):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    cases = Case.objects.filter(school__name=REGENBOOG)
    for case in cases.exclude(step__in=[Step.SIGNALS, Step.CLOSED]):
        assert case.consultations.exists()
    for case in cases.filter(step__in=[Step.WEIGH, Step.HELP]):
        assert case.meetings.filter(kind="parents", report__isnull=False).exists()


def test_the_demo_shows_a_signal_about_a_volunteer_a_leaving_pupil_and_linked_cases(db):
    """Issue 25: a newcomer sees each new situation at once, and a second run adds nothing."""
    from cases.actions.services import actions_for
    from cases.links.models import CaseLink
    from cases.models import StaffSignal
    from meldcode.models import User

    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    signal = StaffSignal.objects.get()
    assert signal.concerns is None and signal.concerns_role == "vrijwilliger"
    bestuur, af = User.objects.get(username="bestuur"), User.objects.get(username="af")
    assert any(item.kind == "staff_signal" for item in actions_for(bestuur))
    assert any(item.kind == "leaving" for item in actions_for(af))
    assert CaseLink.objects.count() == 2
