import pytest
from django.urls import reverse

from socialmap.models import Category, Organisation

URL = reverse("socialmap:create")
VALID = {
    "name": "Leerplicht Testregio",
    "category": Category.ATTENDANCE,
    "contact_person": "",
    "address": "Raadhuisplein 1, 1234 AB Testdorp",
    "phone": "0118-123456",
    "email": "leerplicht@example.invalid",
    "website": "www.example.invalid",
    "notes": "",
    "last_checked": "2025-03-01",
}


@pytest.mark.parametrize("role", ["ib", "af", "directie"])
def test_ib_af_and_directie_add_an_entry(cast, client_for, role):
    response = client_for(getattr(cast, role)).post(URL, VALID)
    organisation = Organisation.objects.get(name="Leerplicht Testregio")
    assert response.status_code == 302
    assert response["Location"] == organisation.get_absolute_url()
    assert organisation.school == cast.school
    assert organisation.website == "https://www.example.invalid"
    assert organisation.history.get().history_user == getattr(cast, role)


@pytest.mark.parametrize("role", ["leerkracht", "bestuur", "outsider"])
def test_others_may_not_add(cast, client_for, role):
    client = client_for(getattr(cast, role))
    assert client.get(URL).status_code == 403
    assert client.post(URL, VALID).status_code == 403
    assert not Organisation.objects.filter(name="Leerplicht Testregio").exists()


def test_create_refuses_other_methods(cast, client_for):
    assert client_for(cast.af).put(URL).status_code == 405


def test_a_bad_phone_number_is_named_in_dutch_next_to_the_field(cast, client_for):
    response = client_for(cast.af).post(URL, {**VALID, "phone": "12345"})
    assert response.status_code == 200
    assert "Dit is geen Nederlands telefoonnummer" in response.text
    assert response.context["form"].errors["phone"]
    assert not Organisation.objects.filter(name="Leerplicht Testregio").exists()


def test_a_bad_email_address_is_named_in_dutch(cast, client_for):
    response = client_for(cast.af).post(URL, {**VALID, "email": "info@intervence"})
    assert "Voer een geldig e-mailadres in" in response.text
    assert response.context["form"].errors["email"]


def test_name_and_category_are_required(cast, client_for):
    response = client_for(cast.af).post(URL, {**VALID, "name": "", "category": ""})
    errors = response.context["form"].errors
    assert "Dit veld is verplicht." in errors["name"]
    assert "Dit veld is verplicht." in errors["category"]


def test_the_same_name_in_the_same_category_is_refused(cast, client_for, entry):
    data = {**VALID, "name": "wijkteam testdorp", "category": Category.CJG}
    response = client_for(cast.af).post(URL, data)
    assert "heeft al een organisatie met deze naam" in response.text
    assert Organisation.objects.filter(name__iexact="wijkteam testdorp").count() == 1


def test_the_last_check_cannot_be_in_the_future(cast, client_for):
    response = client_for(cast.af).post(URL, {**VALID, "last_checked": "2999-01-01"})
    assert "kan niet in de toekomst liggen" in response.text
    assert response.context["form"].errors["last_checked"]
