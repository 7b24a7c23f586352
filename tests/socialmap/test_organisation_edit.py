import pytest
from django.urls import reverse

from socialmap.models import Organisation


def url(organisation) -> str:
    return reverse("socialmap:edit", args=[organisation.pk])


def data_of(organisation: Organisation, **changes) -> dict:
    data = {
        "name": organisation.name,
        "category": organisation.category,
        "contact_person": organisation.contact_person,
        "address": organisation.address,
        "phone": organisation.phone,
        "email": organisation.email,
        "website": organisation.website,
        "notes": organisation.notes,
        "last_checked": organisation.last_checked.isoformat(),
    }
    return {**data, **changes}


@pytest.mark.parametrize("role", ["ib", "af", "directie"])
def test_editors_change_an_entry(cast, client_for, entry, role):
    response = client_for(getattr(cast, role)).post(url(entry), data_of(entry, phone="112"))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.phone == "112"
    assert entry.history.count() == 2


@pytest.mark.parametrize("role", ["leerkracht", "bestuur"])
def test_readers_may_not_edit(cast, client_for, entry, role):
    client = client_for(getattr(cast, role))
    assert client.get(url(entry)).status_code == 403
    assert client.post(url(entry), data_of(entry, phone="112")).status_code == 403
    entry.refresh_from_db()
    assert entry.phone != "112"


def test_an_editor_of_another_school_gets_not_found(cast, client_for, other_entry):
    assert client_for(cast.af).post(url(other_entry), data_of(other_entry)).status_code == 404


def test_an_outsider_gets_not_found(cast, client_for, entry):
    assert client_for(cast.outsider).get(url(entry)).status_code == 404


def test_edit_refuses_other_methods(cast, client_for, entry):
    assert client_for(cast.af).delete(url(entry)).status_code == 405


def test_an_invalid_change_is_not_saved(cast, client_for, entry):
    response = client_for(cast.af).post(url(entry), data_of(entry, phone="0900-12"))
    assert "Een 0800- of 0900-nummer heeft 4 of 7 cijfers" in response.text
    entry.refresh_from_db()
    assert entry.phone == "0118 - 751 400"
