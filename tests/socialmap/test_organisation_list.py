import pytest
from django.urls import reverse
from django.utils import timezone

from socialmap.models import Category
from tests.socialmap.factories import OrganisationFactory

URL = reverse("socialmap:list")


@pytest.mark.parametrize("role", ["leerkracht", "ib", "af", "directie", "bestuur"])
def test_every_staff_member_and_the_board_read_the_social_map(cast, client_for, entry, role):
    client = client_for(getattr(cast, role))
    # The board works in one school at a time; it chooses in the switcher.
    client.post(reverse("school_switch"), {"school": cast.school.pk})
    response = client.get(URL)
    assert response.status_code == 200
    assert "Wijkteam Testdorp" in response.text


def test_the_list_shows_only_the_current_school(cast, client_for, entry, other_entry):
    response = client_for(cast.leerkracht).get(URL)
    assert "Geheim Elders" not in response.text


def test_a_user_without_a_school_is_refused(cast, client_for):
    assert client_for(cast.outsider).get(URL).status_code == 403


def test_the_list_refuses_post(cast, client_for):
    assert client_for(cast.af).post(URL).status_code == 405


def test_phone_and_email_are_links(cast, client_for, entry):
    response = client_for(cast.leerkracht).get(URL)
    assert 'href="tel:0118751400"' in response.text
    assert 'href="mailto:wijkteam@example.invalid"' in response.text


def test_search_by_name_finds_part_of_the_name(cast, client_for, entry):
    OrganisationFactory(school=cast.school, name="GGD Testregio", category=Category.YOUTH_HEALTH)
    response = client_for(cast.leerkracht).get(URL, {"q": "wijkteam"})
    assert "Wijkteam Testdorp" in response.text
    assert "GGD Testregio" not in response.text


def test_search_by_category(cast, client_for, entry):
    OrganisationFactory(school=cast.school, name="GGD Testregio", category=Category.YOUTH_HEALTH)
    response = client_for(cast.leerkracht).get(URL, {"category": Category.YOUTH_HEALTH})
    assert "GGD Testregio" in response.text
    assert "Wijkteam Testdorp" not in response.text


def test_archived_entries_are_only_shown_on_request(cast, client_for, entry):
    archived = OrganisationFactory(school=cast.school, name="Oud Wijkteam")
    archived.archived_at = timezone.now()
    archived.save()
    client = client_for(cast.leerkracht)
    assert "Oud Wijkteam" not in client.get(URL).text
    shown = client.get(URL, {"archived": "on"}).text
    assert "Oud Wijkteam" in shown
    assert "Wijkteam Testdorp" not in shown


def test_readers_get_no_edit_buttons(cast, client_for, entry):
    text = client_for(cast.leerkracht).get(URL).text
    assert reverse("socialmap:create") not in text
    assert reverse("socialmap:create") in client_for(cast.af).get(URL).text
