"""Step 5b: the report to Veilig Thuis, the talk before it, and Veilig Thuis's answers."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, EmergencyCall
from cases.report.models import NotToldReason, Report, Response
from cases.report.services import (
    called_112_only,
    report_pending,
    report_record,
    reports_awaiting_decision,
    response_record,
)
from cases.services import case_declare_emergency
from cases.workflow import Step
from meldcode.workdays import add_working_days
from tests.clock import today
from tests.factories import PupilFactory


def record(case, by, **extra):
    values = {"reported_on": today(), "reported_by": by, "parents_told_on": today()}
    return report_record(case=case, by=by, **(values | extra))


def opened_weeks_ago(case, weeks: int = 4):
    Case.objects.filter(pk=case.pk).update(opened_at=timezone.now() - dt.timedelta(weeks=weeks))
    case.refresh_from_db()
    return case


def pupil_turning_12(cast, on: dt.date):
    born = on.replace(year=on.year - 12)
    return PupilFactory(school=cast.school, first_name="Sem", last_name="Jarig", date_of_birth=born)


def test_the_af_records_a_report_named_after_a_staff_member(cast, case_at):
    report = record(case_at(Step.REPORT), cast.af, reference="VT-2026-0042")
    assert (report.reported_by, report.reference) == (cast.af, "VT-2026-0042")
    assert report.decision_expected_by == add_working_days(today(), 5)


def test_a_report_needs_the_talk_with_the_parents_or_the_reason_it_was_skipped(cast, case_at):
    with pytest.raises(ValidationError) as refused:
        record(case_at(Step.REPORT), cast.af, parents_told_on=None)
    assert "parents_told_on" in refused.value.message_dict
    assert not Report.objects.exists()


def test_skipping_the_talk_names_one_of_the_lawful_reasons_and_explains_it(cast, case_at):
    case = case_at(Step.REPORT)
    with pytest.raises(ValidationError) as refused:
        record(
            case, cast.af, parents_told_on=None, parents_not_told_reason=NotToldReason.CHILD_SAFETY
        )
    assert "parents_not_told_explanation" in refused.value.message_dict
    report = record(
        case,
        cast.af,
        parents_told_on=None,
        parents_not_told_reason=NotToldReason.CHILD_SAFETY,
        parents_not_told_explanation="Vader dreigde het kind te straffen als het iets vertelde.",
    )
    assert report.parents_not_told_reason == "child_safety"


def test_the_school_never_reports_anonymously(cast, case_at):
    with pytest.raises(ValidationError) as refused:
        record(case_at(Step.REPORT), cast.af, reported_by=None)
    assert "reported_by" in refused.value.message_dict


def test_the_reporter_works_at_the_school(cast, case_at):
    with pytest.raises(ValidationError) as refused:
        record(case_at(Step.REPORT), cast.af, reported_by=cast.other_leerkracht)
    assert "reported_by" in refused.value.message_dict


def test_a_pupil_who_turns_12_on_the_day_of_the_talk_is_told_too(cast, case_at):
    talk = today() - dt.timedelta(days=3)
    case = opened_weeks_ago(case_at(Step.REPORT, pupil=pupil_turning_12(cast, talk)))
    with pytest.raises(ValidationError) as refused:
        record(case, cast.af, parents_told_on=talk)
    assert "pupil_told_on" in refused.value.message_dict
    assert record(case, cast.af, parents_told_on=talk, pupil_told_on=talk).pupil_told_on == talk


def test_a_pupil_who_turns_12_the_day_after_the_talk_need_not_be_told(cast, case_at):
    talk = today() - dt.timedelta(days=3)
    case = opened_weeks_ago(
        case_at(Step.REPORT, pupil=pupil_turning_12(cast, talk + dt.timedelta(days=1)))
    )
    assert record(case, cast.af, parents_told_on=talk).pupil_told_on is None


def test_a_pupil_of_12_may_go_untold_only_with_a_reason(cast, case_at):
    case = case_at(Step.REPORT, pupil=pupil_turning_12(cast, today() - dt.timedelta(days=400)))
    report = record(
        case, cast.af, pupil_not_told_reason="Het kind is te angstig; met VT besproken."
    )
    assert report.pupil_not_told_reason


def test_objections_are_recorded_with_how_they_were_weighed(cast, case_at):
    case = case_at(Step.REPORT)
    with pytest.raises(ValidationError) as refused:
        record(case, cast.af, objections="Ouders zijn het oneens met de melding.")
    assert "objections_weighed" in refused.value.message_dict


def test_the_talk_lies_before_the_report(cast, case_at):
    with pytest.raises(ValidationError) as refused:
        record(
            case_at(Step.REPORT),
            cast.af,
            reported_on=today() - dt.timedelta(days=1),
            parents_told_on=today(),
        )
    assert "parents_told_on" in refused.value.message_dict


def test_a_report_is_recorded_only_in_step_5b(cast, case_at):
    with pytest.raises((ValidationError, PermissionDenied)):
        record(case_at(Step.HELP), cast.af)


def test_a_teacher_cannot_record_a_report(cast, case_at):
    with pytest.raises(PermissionDenied):
        record(case_at(Step.REPORT), cast.leerkracht)


def test_veilig_thuis_decision_conclusion_and_feedback_are_recorded(cast, case_at):
    report = record(case_at(Step.REPORT), cast.af)
    response_record(report=report, by=cast.af, kind="decision", received_on=today(), takes_on=True)
    response_record(
        report=report, by=cast.af, kind="conclusion", received_on=today(), conclusion="confirmed"
    )
    response_record(
        report=report,
        by=cast.af,
        kind="feedback",
        received_on=today(),
        note="Hulp via het wijkteam ingezet.",
        school_follow_up="Leerkracht blijft signaleren; IB'er volgt elke maand.",
    )
    assert list(report.responses.values_list("kind", flat=True)) == [
        "decision",
        "conclusion",
        "feedback",
    ]


def test_a_conclusion_is_one_of_the_three_of_veilig_thuis(cast, case_at):
    report = record(case_at(Step.REPORT), cast.af)
    with pytest.raises(ValidationError) as refused:
        response_record(report=report, by=cast.af, kind="conclusion", received_on=today())
    assert "conclusion" in refused.value.message_dict
    assert set(Response.Conclusion.values) == {"refuted", "not_confirmed", "confirmed"}


def test_a_new_report_can_follow(cast, case_at):
    case = case_at(Step.REPORT)
    record(case, cast.af)
    record(case, cast.af)
    assert case.reports.count() == 2


def test_a_case_in_5b_asks_for_its_report_until_it_is_recorded(cast, case_at):
    case = case_at(Step.REPORT)
    assert report_pending(case)
    record(case, cast.af)
    assert not report_pending(case)


def test_a_call_to_112_alone_still_asks_for_the_report(cast, case_at, client_for):
    case = case_at(Step.SIGNALS)
    case_declare_emergency(
        case=case,
        by=cast.af,
        service=EmergencyCall.Service.POLICE,
        called_by=cast.af,
        called_at=timezone.now(),
        summary="Politie kwam direct.",
    )
    case.refresh_from_db()
    assert called_112_only(case) and report_pending(case)
    page = client_for(cast.af).get(case.get_absolute_url()).content.decode()
    assert 'data-testid="report-pending"' in page


def test_a_late_decision_of_veilig_thuis_is_listed_for_who_may_see_the_case(cast, case_at):
    report = record(opened_weeks_ago(case_at(Step.REPORT)), cast.af,
                    reported_on=today() - dt.timedelta(days=14),
                    parents_told_on=today() - dt.timedelta(days=14))  # fmt: skip
    assert list(reports_awaiting_decision(cast.af, today())) == [report]
    assert list(reports_awaiting_decision(cast.other_leerkracht, today())) == []
    response_record(report=report, by=cast.af, kind="decision", received_on=today(), takes_on=True)
    assert list(reports_awaiting_decision(cast.af, today())) == []


def test_the_report_page_is_404_for_an_outsider_and_403_for_a_teacher(cast, case_at, client_for):
    case = case_at(Step.REPORT)
    url = reverse("cases:report_new", args=[case.pk])
    assert client_for(cast.other_leerkracht).get(url).status_code == 404
    assert client_for(cast.leerkracht).get(url).status_code == 403
    assert client_for(cast.af).get(url).status_code == 200
    assert client_for(cast.af).put(url).status_code == 405
