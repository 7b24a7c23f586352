"""Moving a case from its page: the form parses, case_advance decides."""

from django.urls import reverse

from cases.models import Transition
from cases.services import case_advance
from cases.workflow import Step
from tests.cases.factories import ready_to_leave


def move_url(case, to):
    return reverse("cases:move", args=[case.pk, to])


def test_the_teacher_hands_the_case_to_the_ib(cast, case, client_for):
    response = client_for(cast.leerkracht).post(
        move_url(case, "2"), {"seen_step": "1", "move-2-to": "2", "move-2-reason": ""}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.step, case.responsible) == (Step.CONSULT, cast.ib)


def test_a_missing_reason_is_shown_in_dutch_next_to_the_field(cast, case_at, client_for):
    case = case_at(Step.CONSULT, responsible=cast.ib)
    response = client_for(cast.ib).post(
        move_url(case, "4"), {"seen_step": "2", "move-4-to": "4", "move-4-reason": " "}
    )
    assert response.status_code == 200
    assert "Dit veld is verplicht." in response.text
    assert case.transitions.count() == 1


def test_a_stale_page_gets_a_clear_message_and_moves_nothing(cast, case, client_for):
    case_advance(case=case, to=Step.CONSULT, by=cast.leerkracht)
    response = client_for(cast.ib).post(
        move_url(case, "2"), {"seen_step": "1", "move-2-to": "2"}, follow=True
    )
    assert "zojuist" in response.text
    assert case.transitions.count() == 2


def test_an_emergency_jump_is_not_possible_through_the_move_form(cast, case, client_for):
    client_for(cast.leerkracht).post(
        move_url(case, "5b"), {"seen_step": "1", "move-5b-to": "5b", "move-5b-reason": "x"}
    )
    assert not Transition.objects.filter(case=case, to_step=Step.REPORT).exists()


def test_an_unknown_step_in_the_url_is_a_404(cast, case, client_for):
    response = client_for(cast.leerkracht).post(move_url(case, "9"), {"seen_step": "1"})
    assert response.status_code == 404


def test_only_af_or_directie_may_name_the_responsible_person(cast, case_at, client_for):
    case = case_at(Step.CONSULT, responsible=cast.ib)
    client_for(cast.ib).post(
        move_url(case, "3"),
        {"seen_step": "2", "move-3-to": "3", "move-3-responsible": cast.ib.pk},
    )
    case.refresh_from_db()
    assert case.step == Step.TALK  # the field is not on the IB'er's form; the default applies


def test_the_af_names_the_directie_responsible_for_step_5a(cast, case_at, client_for):
    case = case_at(Step.WEIGH, responsible=cast.af)
    ready_to_leave(case, Step.HELP, cast.af)
    client_for(cast.af).post(
        move_url(case, "5a"),
        {"seen_step": "4", "move-5a-to": "5a", "move-5a-responsible": cast.directie.pk},
    )
    case.refresh_from_db()
    assert (case.step, case.responsible) == (Step.HELP, cast.directie)
    assert case.transitions.last().responsible == cast.directie
