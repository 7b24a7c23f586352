"""The case list: scoped by need to know, filtered by step and responsible person,
searchable by pupil, and as cheap for 200 cases as for 10."""

import pytest
from django.urls import reverse

from cases.views import CASES_PER_PAGE
from cases.workflow import Step
from tests.cases.factories import make_case
from tests.factories import PupilFactory

URL = reverse("cases:list")


def make_cases(cast, count: int) -> None:
    steps = list(Step)
    for number in range(count):
        pupil = PupilFactory(school=cast.school, last_name=f"Leerling{number}")
        make_case(opened_by=cast.leerkracht, pupil=pupil, step=steps[number % len(steps)])


@pytest.mark.parametrize("count", [10, 200])
def test_the_list_needs_the_same_queries_for_10_and_for_200_cases(
    cast, client_for, django_assert_max_num_queries, count
):
    make_cases(cast, count)
    client = client_for(cast.ib)
    client.get(URL)  # warm the session and the cached content types
    with django_assert_max_num_queries(11):  # 12 before the viewer's roles were read once
        response = client.get(URL)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(count, CASES_PER_PAGE)


def test_a_teacher_sees_only_the_cases_they_opened(cast, client_for):
    mine = make_case(opened_by=cast.leerkracht, pupil=cast.pupil)
    theirs = make_case(opened_by=cast.leerkracht_b, pupil=PupilFactory(school=cast.school))
    cases = list(client_for(cast.leerkracht).get(URL).context["page"].object_list)
    assert cases == [mine]
    assert theirs not in cases


def test_the_ib_sees_every_case_of_the_school_but_none_of_another(cast, client_for):
    ours = make_case(opened_by=cast.leerkracht_b, pupil=cast.pupil)
    make_case(opened_by=cast.other_leerkracht, pupil=cast.other_pupil)
    assert list(client_for(cast.ib).get(URL).context["page"].object_list) == [ours]


def test_filter_by_step(cast, client_for):
    make_case(opened_by=cast.leerkracht, pupil=cast.pupil, step=Step.SIGNALS)
    weighing = make_case(
        opened_by=cast.leerkracht, pupil=PupilFactory(school=cast.school), step=Step.WEIGH
    )
    response = client_for(cast.af).get(URL, {"step": "4"})
    assert list(response.context["page"].object_list) == [weighing]


def test_filter_by_responsible_person(cast, client_for):
    make_case(opened_by=cast.leerkracht, pupil=cast.pupil)
    for_ib = make_case(
        opened_by=cast.leerkracht, pupil=PupilFactory(school=cast.school), responsible=cast.ib
    )
    response = client_for(cast.af).get(URL, {"responsible": cast.ib.pk})
    assert list(response.context["page"].object_list) == [for_ib]


def test_search_by_pupil_name(cast, client_for):
    roos = make_case(opened_by=cast.leerkracht, pupil=cast.pupil)
    make_case(opened_by=cast.leerkracht, pupil=PupilFactory(school=cast.school, first_name="Kees"))
    response = client_for(cast.af).get(URL, {"q": "roos testhuis"})
    assert list(response.context["page"].object_list) == [roos]
    assert "Roos Testhuis" in response.text


def test_the_board_has_no_case_list(cast, client_for):
    make_case(opened_by=cast.leerkracht, pupil=cast.pupil)
    assert client_for(cast.bestuur).get(URL).status_code == 403


def test_the_new_case_button_shows_only_to_those_who_may_open_one(cast, client_for):
    assert reverse("cases:new") in client_for(cast.leerkracht).get(URL).text
