"""Every demo case keeps the route's rules (issue 21): the demo is made through the
services, in an order the rules allow, with dates that make sense."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.models import Case
from cases.report.services import PUPIL_TOLD_FROM_AGE
from cases.workflow import Step
from meldcode.demo import REGENBOOG


@pytest.fixture
def demo_cases(db):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return list(Case.objects.filter(school__name=REGENBOOG).order_by("pk"))


def test_no_record_of_a_demo_case_was_made_before_the_case_opened(demo_cases):
    for case in demo_cases:
        opened = case.opened_at
        day = timezone.localdate(opened)
        assert all(move.at >= opened for move in case.transitions.all()), case
        assert all(entry.recorded_at >= opened for entry in case.entries.all()), case
        assert all(w.at >= opened for w in case.weighings.all()), case
        assert all(m.starts_at >= opened for m in case.meetings.all()), case
        for report in case.reports.all():
            assert report.reported_on >= day, case
            assert all(r.received_on >= report.reported_on for r in report.responses.all())
        for plan in case.help_plans.all():
            assert plan.created_at >= opened, case
            assert all(
                e.held_on >= timezone.localdate(plan.created_at) for e in plan.evaluations.all()
            )


def test_help_and_reports_follow_the_weighing_that_decided_on_them(demo_cases):
    for case in demo_cases:
        weighings = list(case.weighings.order_by("at"))
        emergency = case.transitions.filter(emergency=True).exists()
        if case.help_plans.exists() or (case.reports.exists() and not emergency):
            assert weighings, case
            first = weighings[0].at
            assert all(plan.created_at >= first for plan in case.help_plans.all()), case
            assert all(report.at >= first for report in case.reports.all()), case
        for plan in case.help_plans.all():
            for evaluation in plan.evaluations.all():
                assert evaluation.held_on >= timezone.localdate(weighings[0].at), case


def test_every_demo_case_past_5b_has_a_report_or_an_exception(demo_cases):
    for case in demo_cases:
        if case.transitions.filter(from_step=Step.REPORT).exists():
            assert case.reports.exists() or case.report_exceptions.exists(), case


def test_a_demo_pupil_of_12_or_older_was_told_of_the_report_or_a_reason_recorded(demo_cases):
    for case in demo_cases:
        for report in case.reports.all():
            if case.pupil.age_on(report.parents_told_on or report.reported_on) >= (
                PUPIL_TOLD_FROM_AGE
            ):
                assert report.pupil_told_on or report.pupil_not_told_reason, case


def test_every_demo_case_that_left_step_4_was_weighed(demo_cases):
    for case in demo_cases:
        if case.transitions.filter(from_step=Step.WEIGH).exists():
            assert case.weighings.exists(), case
