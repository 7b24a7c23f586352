from django.urls import reverse

from meldcode.models import Role
from tests.factories import MembershipFactory


def test_person_at_two_schools_switches_and_sees_the_other_school(cast, client_for):
    MembershipFactory(user=cast.ib, school=cast.other_school, role=Role.IB)
    client = client_for(cast.ib)
    response = client.post(reverse("school_switch"), {"school": cast.other_school.pk})
    assert response.status_code == 302
    page = client.get(reverse("home"))
    assert "Je werkt in De Andere School als" in page.text


def test_switch_to_a_school_where_one_does_not_work_is_refused(cast, client_for):
    client = client_for(cast.leerkracht)
    client.post(reverse("school_switch"), {"school": cast.other_school.pk})
    page = client.get(reverse("home"))
    assert "Je werkt in De Testboom als" in page.text


def test_switcher_shows_only_for_people_at_several_schools(cast, client_for):
    assert 'name="school"' not in client_for(cast.leerkracht).get(reverse("home")).text
    MembershipFactory(user=cast.ib, school=cast.other_school, role=Role.IB)
    assert 'name="school"' in client_for(cast.ib).get(reverse("home")).text


def test_switch_refuses_get(cast, client_for):
    assert client_for(cast.ib).get(reverse("school_switch")).status_code == 405


def test_board_member_works_at_every_school_of_the_board(cast):
    assert set(cast.bestuur.schools()) == {cast.school, cast.other_school}
