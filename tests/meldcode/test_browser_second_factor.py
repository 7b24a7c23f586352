"""In the browser: a new user enrols a second factor and signs in with it; quick hide
blanks the page, and the shortcut works."""

import re

from playwright.sync_api import expect

from tests.conftest import PASSWORD, current_code


def test_a_new_user_enrols_a_second_factor_and_signs_in_with_it(
    cast, transactional_db, page, live_server
):
    from accounts.models import AuthenticatorApp

    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("ib")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name="Stel je tweede factor in")).to_be_visible()
    expect(page.get_by_test_id("qr").locator("svg")).to_be_visible()
    device = AuthenticatorApp.objects.get(user=cast.ib, confirmed=False)
    page.get_by_label("Code").fill(current_code(device))
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    page.get_by_role("link", name="Ik heb ze bewaard: verder").click()
    page.get_by_role("button", name="Uitloggen").click()

    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("ib")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name="Tweede factor")).to_be_visible()
    device.refresh_from_db()
    # The enrolment used this period's code; a code works once, so the phone's next one.
    page.get_by_label("Code").fill(current_code(device, steps_ahead=1))
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name=re.compile("^Goedendag"))).to_be_visible()


def test_quick_hide_blanks_the_page_and_the_shortcut_works(
    cast, transactional_db, page, sign_in_page
):
    sign_in_page("af")
    page.get_by_role("button", name="Scherm verbergen").click()
    expect(page.get_by_role("heading", name="Het scherm is verborgen")).to_be_visible()
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Verder").click()
    expect(page.get_by_role("heading", name=re.compile("^Goedendag"))).to_be_visible()

    page.keyboard.press("Alt+h")
    expect(page.get_by_role("heading", name="Het scherm is verborgen")).to_be_visible()
    page.goto(page.url.replace("/verborgen/", "/casussen/"))
    expect(page.get_by_role("heading", name="Het scherm is verborgen")).to_be_visible()
