"""In the browser, through the real test provider (tests/accounts/oidc_provider.py): the
board trusts the provider's second factor, so its user with "mfa" reaches a case without
Meldcode's own; its user with a password only is asked Meldcode's; an unknown address
gets no access."""

from playwright.sync_api import expect

from tests.accounts.oidc_provider import MFA_USER, PASSWORD, PWD_USER, UNKNOWN_USER
from tests.cases.factories import make_case
from tests.conftest import authenticator


def sign_in_at_the_provider(page, live_server, email: str, path: str = "/"):
    page.goto(f"{live_server.url}{path}")
    page.get_by_role("link", name="Inloggen met je schoolaccount").click()
    expect(page.get_by_role("heading", name="Test school account")).to_be_visible()
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in at the provider").click()


def test_a_user_with_the_providers_second_factor_reaches_a_case_without_meldcodes(
    cast, school_account, transactional_db, live_server, page
):
    case = make_case(opened_by=cast.leerkracht, pupil=cast.pupil, responsible=cast.af)
    sign_in_at_the_provider(page, live_server, MFA_USER, case.get_absolute_url())
    expect(page).to_have_url(f"{live_server.url}{case.get_absolute_url()}")
    expect(page.get_by_test_id("current-step")).to_be_visible()
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("link", name="Ook uitloggen bij je schoolaccount")).to_be_visible()


def test_a_user_without_it_is_asked_meldcodes_own_second_factor(
    cast, school_account, transactional_db, live_server, page
):
    authenticator(cast.ib)
    sign_in_at_the_provider(page, live_server, PWD_USER, "/casussen/")
    expect(page.get_by_role("heading", name="Tweede factor")).to_be_visible()
    expect(page.get_by_label("Code")).to_be_visible()


def test_an_unknown_address_gets_no_access(
    cast, school_account, transactional_db, live_server, page
):
    sign_in_at_the_provider(page, live_server, UNKNOWN_USER)
    expect(page.get_by_text("Je hebt nog geen toegang; vraag het de directie.")).to_be_visible()
    expect(page.get_by_role("heading", name="Inloggen", exact=True)).to_be_visible()
