"""No case leaves 5b without a report to Veilig Thuis, unless Veilig Thuis advised that no
report is needed or the noodsituatie call to Veilig Thuis was the report; Mijn acties asks
for the missing report; Veilig Thuis's answer is a safety assessment, then a conclusion."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.actions.services import actions_for
from cases.report.models import Assessment, ReportException, Response
from cases.report.services import report_exception_record, report_record, response_record
from cases.services import case_advance, case_declare_emergency
from cases.workflow import Step
from meldcode.workdays import add_working_days
from tests.clock import today


def reported(case, by):
    return report_record(
        case=case, by=by, reported_on=today(), reported_by=by, parents_told_on=today()
    )


def emergency_case(cast, case_at, service="veilig_thuis"):
    case = case_at(Step.CONSULT)
    case_declare_emergency(
        case=case,
        by=cast.af,
        service=service,
        called_by=cast.af,
        called_at=timezone.now() - dt.timedelta(minutes=10),
        summary="Kind vertelde over geweld thuis; direct gebeld.",
    )
    case.refresh_from_db()
    return case


@pytest.mark.parametrize("to", [Step.HELP, Step.CLOSED])
def test_a_case_cannot_leave_5b_without_a_report(cast, case_at, to):
    case = case_at(Step.REPORT)
    with pytest.raises(ValidationError) as refused:
        case_advance(case=case, to=to, by=cast.af, reason="Gesloten.")
    assert refused.value.code == "report_missing"
    assert "melding" in str(refused.value.messages[0]).lower()
    case.refresh_from_db()
    assert case.step == Step.REPORT


@pytest.mark.parametrize("to", [Step.HELP, Step.CLOSED])
def test_a_recorded_report_lets_the_case_leave_5b(cast, case_at, to):
    case = case_at(Step.REPORT)
    reported(case, cast.af)
    case_advance(case=case, to=to, by=cast.af, reason="Veilig Thuis neemt het over.")
    assert case.step == to


def test_veilig_thuis_advising_no_report_lets_the_case_leave_5b(cast, case_at):
    case = case_at(Step.REPORT)
    report_exception_record(
        case=case, by=cast.af, kind=ReportException.Kind.VT_ADVISED_NO_REPORT, on=today(),
        vt_employee_role="adviseur", explanation="Geen melding nodig; hulp via het wijkteam.",
    )  # fmt: skip
    case_advance(case=case, to=Step.HELP, by=cast.af)
    assert case.step == Step.HELP


def test_advice_without_the_role_of_the_veilig_thuis_employee_is_refused(cast, case_at):
    case = case_at(Step.REPORT)
    with pytest.raises(ValidationError) as refused:
        report_exception_record(
            case=case, by=cast.af, kind=ReportException.Kind.VT_ADVISED_NO_REPORT, on=today(),
            explanation="Geen melding nodig.",
        )  # fmt: skip
    assert "vt_employee_role" in refused.value.message_dict
    assert not ReportException.objects.exists()


def test_the_noodsituatie_call_to_veilig_thuis_can_be_the_report(cast, case_at):
    case = emergency_case(cast, case_at)
    report_exception_record(
        case=case, by=cast.af, kind=ReportException.Kind.EMERGENCY_CALL_WAS_REPORT, on=today(),
        reference="VT-2026-0099", explanation="Advies en melding in één gesprek.",
    )  # fmt: skip
    case_advance(case=case, to=Step.CLOSED, by=cast.af, reason="Veilig Thuis volgt het gezin.")
    assert case.step == Step.CLOSED


def test_a_call_to_112_alone_is_never_the_report(cast, case_at):
    case = emergency_case(cast, case_at, service="112")
    with pytest.raises(ValidationError) as refused:
        report_exception_record(
            case=case, by=cast.af, kind=ReportException.Kind.EMERGENCY_CALL_WAS_REPORT,
            on=today(), reference="P-123", explanation="Politie kwam.",
        )  # fmt: skip
    assert "kind" in refused.value.message_dict


def test_the_emergency_call_as_report_needs_veilig_thuis_reference(cast, case_at):
    case = emergency_case(cast, case_at)
    with pytest.raises(ValidationError) as refused:
        report_exception_record(
            case=case, by=cast.af, kind=ReportException.Kind.EMERGENCY_CALL_WAS_REPORT,
            on=today(), explanation="Gebeld.",
        )  # fmt: skip
    assert "reference" in refused.value.message_dict


def test_an_exception_from_an_earlier_round_does_not_count_after_reopening(cast, case_at):
    case = case_at(Step.REPORT)
    report_exception_record(
        case=case, by=cast.af, kind=ReportException.Kind.VT_ADVISED_NO_REPORT, on=today(),
        vt_employee_role="adviseur", explanation="Geen melding nodig.",
    )  # fmt: skip
    case_advance(case=case, to=Step.CLOSED, by=cast.af, reason="Zorg weggenomen.")
    case_advance(case=case, to=Step.SIGNALS, by=cast.af, reason="Nieuwe signalen.")
    case_declare_emergency(
        case=case, by=cast.af, service="112", called_by=cast.af,
        called_at=timezone.now(), summary="Acuut gevaar.",
    )  # fmt: skip
    case.refresh_from_db()
    assert case.step == Step.REPORT
    with pytest.raises(ValidationError):
        case_advance(case=case, to=Step.HELP, by=cast.af)


def test_the_move_form_says_what_is_missing_and_links_to_it(cast, case_at, client_for):
    case = case_at(Step.REPORT, responsible=cast.af)
    browser = client_for(cast.af)
    page = browser.get(case.get_absolute_url()).content.decode()
    assert 'data-testid="report-missing"' in page
    assert reverse("cases:report_exception_new", args=[case.pk]) in page
    answer = browser.post(
        reverse("cases:move", args=[case.pk, "5a"]),
        {"seen_step": "5b", "move-5a-to": "5a", "move-5a-reason": ""},
    )
    assert "Bij deze casus is geen melding bij Veilig Thuis vastgelegd" in answer.content.decode()
    case.refresh_from_db()
    assert case.step == Step.REPORT


# Mijn acties ----------------------------------------------------------------------------


def test_mijn_acties_asks_for_the_report_the_next_working_day(cast, case_at):
    case = case_at(Step.REPORT, responsible=cast.ib)
    entered = timezone.localdate(case.step_entered_at)
    for person in (cast.ib, cast.af):
        items = [i for i in actions_for(person) if i.case == case]
        assert [(i.kind, i.due) for i in items] == [
            ("report_missing", add_working_days(entered, 1))
        ]
    assert not [i for i in actions_for(cast.leerkracht) if i.kind == "report_missing"]


def test_after_a_noodsituatie_the_report_is_due_today(cast, case_at):
    case = emergency_case(cast, case_at)
    items = [i for i in actions_for(cast.af) if i.case == case and i.kind == "report_missing"]
    assert [i.due for i in items] == [timezone.localdate(case.step_entered_at)]


def test_a_recorded_report_takes_the_item_away(cast, case_at):
    case = case_at(Step.REPORT, responsible=cast.af)
    reported(case, cast.af)
    assert not [i for i in actions_for(cast.af) if i.kind == "report_missing"]


# Veilig Thuis's answer ------------------------------------------------------------------


def test_the_safety_assessment_records_one_of_the_four_outcomes(cast, case_at):
    report = reported(case_at(Step.REPORT), cast.af)
    with pytest.raises(ValidationError) as refused:
        response_record(report=report, by=cast.af, kind="assessment", received_on=today())
    assert "assessment" in refused.value.message_dict
    answer = response_record(
        report=report, by=cast.af, kind="assessment", received_on=today(),
        assessment=Assessment.LOCAL,
    )  # fmt: skip
    assert answer.assessment == Assessment.LOCAL and "hulp" in answer.asks_of_school.lower()


def test_the_conclusion_of_an_onderzoek_is_chased_after_ten_weeks(cast, case_at):
    case = case_at(Step.REPORT, responsible=cast.af)
    report = reported(case, cast.af)
    assessment = response_record(
        report=report, by=cast.af, kind="assessment", received_on=today(),
        assessment=Assessment.INVESTIGATION,
    )  # fmt: skip
    later = today() + dt.timedelta(weeks=10, days=1)
    items = [i for i in actions_for(cast.af, today=later) if i.kind == "vt_conclusion"]
    assert [i.due for i in items] == [assessment.received_on + dt.timedelta(weeks=10)]
    assert not [i for i in actions_for(cast.af, today=today()) if i.kind == "vt_conclusion"]
    Response.objects.create(
        report=report, kind="conclusion", received_on=today(), conclusion="confirmed", by=cast.af
    )
    assert not [i for i in actions_for(cast.af, today=later) if i.kind == "vt_conclusion"]


def test_an_assessment_stops_the_chase_for_the_first_answer(cast, case_at):
    case = case_at(Step.REPORT, responsible=cast.af)
    report = reported(case, cast.af)
    late = report.decision_expected_by + dt.timedelta(days=1)
    assert [i.kind for i in actions_for(cast.af, today=late) if i.kind == "vt_decision"]
    response_record(
        report=report, by=cast.af, kind="assessment", received_on=today(),
        assessment=Assessment.CLOSE,
    )  # fmt: skip
    assert not [i for i in actions_for(cast.af, today=late) if i.kind == "vt_decision"]
