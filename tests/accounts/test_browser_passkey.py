"""In the browser, with Chromium's virtual authenticator (the DevTools WebAuthn domain
through Playwright's CDP session): a user adds a passkey beside the authenticator app and
signs in with it as the second factor."""

import re

from playwright.sync_api import expect

from tests.conftest import PASSWORD


def virtual_authenticator(page) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def test_a_passkey_is_added_and_signs_in_as_the_second_factor(
    cast, transactional_db, page, live_server, sign_in_page, settings
):
    from django_otp_webauthn.models import WebAuthnCredential

    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    virtual_authenticator(page)
    sign_in_page("af")
    page.goto(f"{live_server.url}/beveiliging/")
    page.locator("form[action$='/beveiliging/passkey/'] input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Verder om een passkey toe te voegen").click()
    button = page.get_by_role("button", name="Passkey toevoegen")
    expect(button).to_be_enabled()
    # The package's script shows the button, then attaches its handler: give it a moment.
    page.wait_for_timeout(500)
    button.click()
    expect(page.get_by_role("heading", name="Je tweede factor")).to_be_visible(timeout=15_000)
    expect(page.get_by_test_id("device")).to_have_count(2)
    assert WebAuthnCredential.objects.filter(user=cast.af, confirmed=True).count() == 1

    page.get_by_role("button", name="Uitloggen").click()
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("af")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name="Tweede factor")).to_be_visible()
    use = page.get_by_role("button", name="Passkey gebruiken")
    expect(use).to_be_enabled()
    page.wait_for_timeout(500)
    use.click()
    expect(page.get_by_role("heading", name=re.compile("^Goedendag"))).to_be_visible(timeout=15_000)
