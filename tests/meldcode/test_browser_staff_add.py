"""In the browser: the directie goes from "Toegang tot onze school" to "Medewerker
toevoegen", meets the message for an address in use next to the field, and adds the
colleague; axe checks every page on the way."""

from django.urls import reverse
from playwright.sync_api import expect

from meldcode.models import User
from tests.a11y.axe import axe_violations, describe


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_the_directie_adds_a_colleague_from_the_access_page(
    cast, transactional_db, live_server, page, sign_in_page
):
    cast.leerkracht.email = "bestaand@testboom.example"
    cast.leerkracht.save()
    sign_in_page("directie")
    page.goto(live_server.url + reverse("school_access"))
    page.get_by_role("link", name="Medewerker toevoegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Medewerker toevoegen")
    assert_accessible(page)

    page.get_by_label("Naam").fill("Nina Nieuw")
    page.get_by_label("E-mailadres").fill("bestaand@testboom.example")
    page.get_by_label("Rol").select_option(label="leerkracht")
    page.get_by_role("button", name="Medewerker toevoegen").click()
    expect(page.locator("#id_email_error")).to_contain_text(
        "Er is al een account met dit e-mailadres."
    )
    assert_accessible(page)

    page.get_by_label("E-mailadres").fill("nina.nieuw@testboom.example")
    page.get_by_role("button", name="Medewerker toevoegen").click()
    expect(page.get_by_text("Nina Nieuw is toegevoegd")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Toegang tot onze school")
    assert User.objects.get(email="nina.nieuw@testboom.example").memberships.count() == 1
    assert_accessible(page)
