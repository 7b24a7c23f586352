"""Nieuwe casus: a teacher picks a pupil of the school and the case opens in step 1."""

from django.urls import reverse

from cases.models import Case
from cases.workflow import Step
from tests.cases.factories import make_case

URL = reverse("cases:new")


def test_a_teacher_opens_a_case_and_lands_on_its_page(cast, client_for):
    response = client_for(cast.leerkracht).post(URL, {"pupil": cast.pupil.pk})
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url()
    assert (case.step, case.opened_by) == (Step.SIGNALS, cast.leerkracht)


def test_a_pupil_of_another_school_cannot_be_chosen(cast, client_for):
    response = client_for(cast.leerkracht).post(URL, {"pupil": cast.other_pupil.pk})
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.text
    assert not Case.objects.exists()


SEARCH = URL + "?zoek=Testhuis"


def test_an_open_case_is_marked_for_those_who_may_see_it(cast, client_for):
    make_case(opened_by=cast.leerkracht, pupil=cast.pupil)
    for person in (cast.leerkracht, cast.ib):
        assert "heeft al een open casus" in client_for(person).get(SEARCH).text


def test_the_open_case_is_a_link_to_it_for_those_who_may_see_it(cast, client_for):
    case = make_case(opened_by=cast.leerkracht, pupil=cast.pupil)
    page = client_for(cast.ib).get(SEARCH).text
    assert f'<a href="{case.get_absolute_url()}">heeft al een open casus</a>' in page


def test_an_open_case_is_never_hinted_at_to_a_teacher_who_may_not_see_it(cast, client_for):
    make_case(opened_by=cast.leerkracht, pupil=cast.pupil)
    page = client_for(cast.leerkracht_b).get(SEARCH).text
    assert "Roos Testhuis" in page
    assert "heeft al een open casus" not in page


def test_a_closed_case_is_not_marked(cast, client_for):
    make_case(opened_by=cast.leerkracht, pupil=cast.pupil, step=Step.CLOSED)
    assert "heeft al een open casus" not in client_for(cast.ib).get(SEARCH).text


def test_the_page_never_lists_the_whole_school(cast, client_for):
    """Issue 15: search by name or group instead of a drop-down of every pupil."""
    from tests.factories import PupilFactory

    PupilFactory.create_batch(40, school=cast.school, group="7", last_name="Zevenaar")
    client = client_for(cast.leerkracht)
    assert "Zevenaar" not in client.get(URL).text
    page = client.get(URL + "?groep=7").text
    assert 0 < page.count("Zevenaar") <= 25 + 5  # a page of results (and labels)
    assert "typ meer van de naam" in page
    assert "Roos Testhuis" in client.get(URL + "?zoek=roos test").text


def test_a_search_without_results_says_so(cast, client_for):
    assert "Geen leerling gevonden" in client_for(cast.leerkracht).get(URL + "?zoek=xyz").text


def test_a_pupil_with_an_open_case_never_gets_a_silent_second_one(cast, client_for):
    """Also not for a teacher who may not see the open case: the form says where the
    observation goes (Snel vastleggen), and nothing is opened."""
    make_case(opened_by=cast.leerkracht_b, pupil=cast.pupil)
    response = client_for(cast.leerkracht).post(reverse("cases:new"), {"pupil": cast.pupil.pk})
    assert response.status_code == 200
    assert "Snel vastleggen" in response.text
    assert Case.objects.filter(pupil=cast.pupil).count() == 1
