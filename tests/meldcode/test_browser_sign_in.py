"""Browser journey: a demo user signs in and lands on their start page."""

import os

from django.core.management import call_command
from playwright.sync_api import expect


def test_demo_user_signs_in_and_sees_their_start_page(
    transactional_db, live_server, page, sign_in_page
):
    call_command("demo")
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/inloggen/?next=/")
    # With debug off (as here and in production) demo users pass the second factor too.
    sign_in_page("af", os.environ["DEMO_PASSWORD"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Goedendag, Anouk")
    expect(page.get_by_role("heading", name="Als aandachtsfunctionaris")).to_be_visible()
    expect(page.get_by_text("Je werkt in De Regenboog als")).to_be_visible()
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()


def test_login_form_starts_at_the_username_field(transactional_db, live_server, page):
    page.goto(f"{live_server.url}/inloggen/")
    expect(page.get_by_label("Gebruikersnaam")).to_be_focused()


def test_keyboard_user_can_skip_to_the_content(cast, transactional_db, sign_in_page):
    page = sign_in_page("ib")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Naar de inhoud")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
