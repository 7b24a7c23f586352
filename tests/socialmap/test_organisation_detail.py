import pytest
from django.urls import reverse


def url(organisation) -> str:
    return reverse("socialmap:detail", args=[organisation.pk])


@pytest.mark.parametrize("role", ["leerkracht", "ib", "af", "directie", "bestuur"])
def test_staff_and_board_read_an_entry(cast, client_for, entry, role):
    response = client_for(getattr(cast, role)).get(url(entry))
    assert response.status_code == 200
    assert 'href="tel:0118751400"' in response.text
    assert 'href="mailto:wijkteam@example.invalid"' in response.text


def test_an_entry_of_another_school_is_not_found(cast, client_for, other_entry):
    assert client_for(cast.leerkracht).get(url(other_entry)).status_code == 404


def test_an_outsider_gets_not_found(cast, client_for, entry):
    assert client_for(cast.outsider).get(url(entry)).status_code == 404


def test_a_missing_entry_looks_the_same_as_a_foreign_one(cast, client_for):
    response = client_for(cast.leerkracht).get(reverse("socialmap:detail", args=[999999]))
    assert response.status_code == 404


def test_detail_refuses_post(cast, client_for, entry):
    assert client_for(cast.af).post(url(entry)).status_code == 405


def test_the_page_shows_who_changed_what(cast, client_for, entry):
    client = client_for(cast.af)
    data = {
        "name": entry.name,
        "category": entry.category,
        "phone": "0118-000000",
        "last_checked": "2025-01-02",
    }
    client.post(reverse("socialmap:edit", args=[entry.pk]), data)
    text = client.get(url(entry)).text
    assert "Geschiedenis" in text
    assert str(cast.af) in text
    assert "gewijzigd:" in text
    assert "telefoonnummer" in text
