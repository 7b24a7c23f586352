"""Recording the weighing of step 4, and what it decides about leaving step 4."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases.append_only import AppendOnlyError
from cases.models import EmergencyCall
from cases.services import case_advance, case_declare_emergency
from cases.weighing.models import Weighing
from cases.weighing.services import current_weighing, weighing_record
from cases.workflow import Step

REASON = "Onderbouwing."


def answers(q1="yes", q2="no", q3="yes", q4="yes"):
    return {1: (q1, REASON), 2: (q2, REASON), 3: (q3, REASON), 4: (q4, REASON)}


@pytest.fixture
def weigh_case(case_at):
    return case_at(Step.WEIGH)


def test_the_af_records_a_weighing_with_every_answer_and_who_gave_it(cast, weigh_case):
    weighing = weighing_record(
        case=weigh_case, by=cast.af, answers=answers(), report_needed=False, help_possible=True
    )
    assert [(a.question, a.answer, a.given_by) for a in weighing.answers.all()] == [
        (1, "yes", cast.af),
        (2, "no", cast.af),
        (3, "yes", cast.af),
        (4, "yes", cast.af),
    ]
    assert (weighing.advice_report, weighing.advice_help) == (False, True)
    assert not weighing.deviates


@pytest.mark.parametrize("q2", ["yes", "doubt"])
def test_question_2_yes_or_doubt_refuses_a_decision_without_a_report(cast, weigh_case, q2):
    with pytest.raises(ValidationError) as refused:
        weighing_record(
            case=weigh_case,
            by=cast.af,
            answers=answers(q2=q2),
            report_needed=False,
            help_possible=True,
            reason="Wij willen eerst hulp proberen.",
        )
    assert "report_needed" in refused.value.message_dict
    assert not Weighing.objects.exists()


def test_doubt_on_question_2_with_a_report_is_recorded(cast, weigh_case):
    weighing = weighing_record(
        case=weigh_case,
        by=cast.af,
        answers=answers(q2="doubt"),
        report_needed=True,
        help_possible=True,
    )
    assert weighing.report_needed and weighing.help_possible


def test_deviating_from_the_advice_needs_a_reason(cast, weigh_case):
    # Advice: help (no report). Deciding to report as well deviates.
    with pytest.raises(ValidationError) as refused:
        weighing_record(
            case=weigh_case, by=cast.af, answers=answers(), report_needed=True, help_possible=True
        )
    assert "reason" in refused.value.message_dict
    weighing = weighing_record(
        case=weigh_case,
        by=cast.af,
        answers=answers(),
        report_needed=True,
        help_possible=True,
        reason="Signalen nemen toe sinds het gesprek.",
    )
    assert weighing.deviates


def test_a_suspicion_cannot_end_without_report_or_help(cast, weigh_case):
    with pytest.raises(ValidationError) as refused:
        weighing_record(
            case=weigh_case,
            by=cast.af,
            answers=answers(),
            report_needed=False,
            help_possible=False,
            reason="Toch sluiten.",
        )
    assert "help_possible" in refused.value.message_dict


def test_after_a_yes_to_question_1_questions_2_to_4_are_required(cast, weigh_case):
    with pytest.raises(ValidationError) as refused:
        weighing_record(
            case=weigh_case,
            by=cast.af,
            answers={1: ("yes", REASON)},
            report_needed=True,
            help_possible=False,
        )
    assert {"q2", "q3", "q4"} <= set(refused.value.message_dict)


def test_every_answer_needs_its_reasoning(cast, weigh_case):
    with pytest.raises(ValidationError) as refused:
        weighing_record(
            case=weigh_case, by=cast.af, answers={1: ("no", "  ")}, report_needed=False,
            help_possible=False,
        )  # fmt: skip
    assert "q1_reasoning" in refused.value.message_dict


def test_doubt_is_an_answer_only_to_question_2(cast, weigh_case):
    with pytest.raises(ValidationError):
        weighing_record(
            case=weigh_case, by=cast.af, answers=answers(q3="doubt"), report_needed=True,
            help_possible=False,
        )  # fmt: skip


@pytest.mark.parametrize("username", ["leerkracht", "ib"])
def test_who_may_not_act_in_step_4_cannot_weigh_a_case(cast, weigh_case, username):
    with pytest.raises(PermissionDenied):
        weighing_record(
            case=weigh_case,
            by=getattr(cast, username),
            answers=answers(),
            report_needed=False,
            help_possible=True,
        )


def test_a_teacher_of_another_school_cannot_weigh_a_case(cast, weigh_case):
    with pytest.raises(PermissionDenied):
        weighing_record(
            case=weigh_case, by=cast.other_leerkracht, answers=answers(), report_needed=False,
            help_possible=True,
        )  # fmt: skip


def test_a_case_is_weighed_only_in_step_4(cast, case_at):
    case = case_at(Step.TALK)
    with pytest.raises((ValidationError, PermissionDenied)):
        weighing_record(
            case=case, by=cast.af, answers=answers(), report_needed=False, help_possible=True
        )


def test_leaving_step_4_without_a_weighing_is_refused(cast, weigh_case):
    with pytest.raises(ValidationError) as refused:
        case_advance(case=weigh_case, to=Step.HELP, by=cast.af)
    assert refused.value.code == "weighing_missing"
    weigh_case.refresh_from_db()
    assert weigh_case.step == Step.WEIGH


@pytest.mark.parametrize(
    ("report", "help_", "allowed", "refused"),
    [
        (True, False, Step.REPORT, Step.HELP),
        (True, True, Step.REPORT, Step.HELP),
        (False, True, Step.HELP, Step.REPORT),
    ],
)
def test_the_weighing_decides_where_the_case_goes_from_step_4(
    cast, weigh_case, report, help_, allowed, refused
):
    weighing_record(
        case=weigh_case,
        by=cast.af,
        answers=answers(q4="no" if report and not help_ else "yes"),
        report_needed=report,
        help_possible=help_,
        reason="Afwijking onderbouwd." if (report and help_) else "",
    )
    with pytest.raises(ValidationError) as wrong_way:
        case_advance(case=weigh_case, to=refused, by=cast.af)
    assert wrong_way.value.code == "weighing_decided_otherwise"
    case_advance(case=weigh_case, to=allowed, by=cast.af)
    assert weigh_case.step == allowed


def test_a_case_closes_after_weighing_only_when_question_1_was_no(cast, weigh_case):
    weighing_record(
        case=weigh_case, by=cast.af, answers=answers(q4="no"), report_needed=True,
        help_possible=False,
    )  # fmt: skip
    with pytest.raises(ValidationError):
        case_advance(case=weigh_case, to=Step.CLOSED, by=cast.af, reason="Geen vermoeden.")
    weighing_record(
        case=weigh_case, by=cast.af, answers={1: ("no", REASON)}, report_needed=False,
        help_possible=False,
    )  # fmt: skip
    case_advance(case=weigh_case, to=Step.CLOSED, by=cast.af, reason="Geen vermoeden.")
    assert weigh_case.step == Step.CLOSED


def test_a_noodsituatie_needs_no_weighing(cast, weigh_case):
    case_declare_emergency(
        case=weigh_case,
        by=cast.af,
        service=EmergencyCall.Service.POLICE,
        called_by=cast.af,
        called_at=timezone.now(),
        summary="Kind durft niet naar huis; 112 gebeld.",
    )
    weigh_case.refresh_from_db()
    assert weigh_case.step == Step.REPORT


def test_a_weighing_is_kept_whole_and_a_later_one_is_a_new_record(cast, weigh_case):
    first = weighing_record(
        case=weigh_case, by=cast.af, answers=answers(), report_needed=False, help_possible=True
    )
    with pytest.raises(AppendOnlyError):
        first.save()
    with pytest.raises(AppendOnlyError):
        first.answers.update(reasoning="Anders")
    second = weighing_record(
        case=weigh_case, by=cast.directie, answers=answers(q4="no"), report_needed=True,
        help_possible=False,
    )  # fmt: skip
    assert Weighing.objects.count() == 2
    assert current_weighing(weigh_case) == second


# Since issue 21 -------------------------------------------------------------------------


def test_after_no_to_question_1_questions_2_to_4_are_not_accepted(cast, case_at):
    case = case_at(Step.WEIGH)
    with pytest.raises(ValidationError) as refused:
        weighing_record(
            case=case, by=cast.af,
            answers={1: ("no", "Geen vermoeden."), 2: ("yes", "Toch acuut?")},
            report_needed=False, help_possible=False,
        )  # fmt: skip
    assert "q2" in refused.value.message_dict
    assert not Weighing.objects.exists()


def test_acute_unsafety_can_never_end_in_closing(cast, case_at):
    case = case_at(Step.WEIGH)
    for q2 in ("yes", "doubt"):
        with pytest.raises(ValidationError) as refused:
            weighing_record(
                case=case, by=cast.af,
                answers={1: ("yes", "Vermoeden."), 2: (q2, "Acuut."), 3: ("yes", "Hulp."),
                         4: ("yes", "Ouders willen.")},
                report_needed=False, help_possible=False, reason="Toch sluiten.",
            )  # fmt: skip
        assert "report_needed" in refused.value.message_dict


def test_the_weighing_records_who_weighed_together(cast, case_at):
    case = case_at(Step.WEIGH)
    weighing = weighing_record(
        case=case, by=cast.af,
        answers={1: ("no", "Geen vermoeden na gesprek.")},
        report_needed=False, help_possible=False,
        weighed_with=["directie", "ib", "veilig_thuis"],
    )  # fmt: skip
    assert weighing.weighed_with == "ib,directie,veilig_thuis"
    assert weighing.weighed_with_labels == [
        "de intern begeleider (ib'er)",
        "de directie",
        "Veilig Thuis (gevraagd mee te wegen)",
    ]


def test_with_a_staff_member_involved_the_bevoegd_gezag_must_know(cast, case_at):
    case = case_at(Step.WEIGH)
    with pytest.raises(ValidationError) as refused:
        weighing_record(
            case=case, by=cast.af, answers={1: ("no", "Geen vermoeden.")},
            report_needed=False, help_possible=False, staff_involved=True,
        )  # fmt: skip
    assert "board_informed" in refused.value.message_dict
    weighing = weighing_record(
        case=case, by=cast.af, answers={1: ("no", "Geen vermoeden.")},
        report_needed=False, help_possible=False, staff_involved=True, board_informed=True,
    )  # fmt: skip
    assert weighing.board_informed


def test_the_form_shows_the_definitions_beside_question_2(cast, case_at, client_for):
    from django.urls import reverse

    case = case_at(Step.WEIGH, responsible=cast.af)
    page = client_for(cast.af).get(reverse("cases:weighing_new", args=[case.pk])).content.decode()
    assert "Acute onveiligheid" in page and "Structurele onveiligheid" in page
