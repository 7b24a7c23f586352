"""The start page tells each person which cases wait for them, and nothing more."""

from django.urls import reverse

from cases.services import case_advance
from cases.workflow import Step


def test_the_ib_sees_a_case_waiting_after_the_hand_over(cast, case, client_for):
    case_advance(case=case, to=Step.CONSULT, by=cast.leerkracht)
    response = client_for(cast.ib).get(reverse("home"))
    assert "Casussen die op jou wachten" in response.text
    assert case.get_absolute_url() in response.text


def test_the_teacher_no_longer_sees_it_waiting_once_handed_over(cast, case, client_for):
    assert case.get_absolute_url() in client_for(cast.leerkracht).get(reverse("home")).text
    case_advance(case=case, to=Step.CONSULT, by=cast.leerkracht)
    response = client_for(cast.leerkracht).get(reverse("home"))
    assert case.get_absolute_url() not in response.text
    assert "Er wacht geen casus op jou." in response.text


def test_the_board_sees_no_cases_but_the_staff_signals(cast, case, client_for):
    response = client_for(cast.bestuur).get(reverse("home"))
    assert case.get_absolute_url() not in response.text
    assert reverse("cases:staff_signal_list") in response.text
    assert f'href="{reverse("cases:list")}"' not in response.text


def test_the_menu_offers_cases_to_school_staff_only(cast, client_for):
    assert reverse("cases:list") in client_for(cast.leerkracht).get(reverse("home")).text
    assert (
        f'href="{reverse("cases:list")}"' not in client_for(cast.outsider).get(reverse("home")).text
    )
