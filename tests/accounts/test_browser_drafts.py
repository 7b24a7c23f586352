"""In the browser: typed text survives the idle sign-out and the quick hide and comes back on
the same page; typing keeps the session alive; the hidden screen names nothing. The idle
limit is one minute here (MELDCODE_IDLE_SECONDS), so each test takes about that long."""

import re
import time

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Draft
from accounts.session_store import LAST_SEEN
from cases.models import Entry
from cases.services import case_open
from meldcode.models import User
from tests.a11y.axe import axe_violations, describe
from tests.conftest import PASSWORD, authenticator, current_code

PLACE = "Gymzaal"
SITUATION = "Omkleden na de gymles"
TEXT = "Roos had blauwe plekken op beide bovenarmen."


@pytest.fixture
def browser_case(transactional_db, cast):
    return case_open(pupil=cast.pupil, by=cast.leerkracht)


@pytest.fixture
def one_minute(settings):
    settings.MELDCODE_IDLE_SECONDS = 60
    return 60


def axe_clean(page) -> None:
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def type_observation(page) -> None:
    page.get_by_label("Plaats").fill(PLACE)
    page.get_by_label("Situatie").fill(SITUATION)
    page.locator("textarea[name=description]").press_sequentially(TEXT[:12])
    page.locator("textarea[name=description]").fill(TEXT)


def put_back_and_file(page, browser_case) -> None:
    offer = page.locator("[data-draft-offer]")
    expect(
        offer.get_by_role("heading", name="Je had nog tekst die niet was opgeslagen")
    ).to_be_visible()
    axe_clean(page)
    offer.get_by_role("button", name="Terugzetten").click()
    expect(page.get_by_label("Plaats")).to_have_value(PLACE)
    expect(page.get_by_label("Situatie")).to_have_value(SITUATION)
    expect(page.locator("textarea[name=description]")).to_have_value(TEXT)
    expect(offer.get_by_text("De tekst staat weer in het formulier.")).to_be_visible()
    axe_clean(page)
    assert Draft.objects.count() == 1  # kept until the form is filed
    page.get_by_role("button", name="Toevoegen aan het dossier").click()
    expect(page.get_by_text("De aantekening staat in het dossier.")).to_be_visible()
    assert Entry.objects.get(case=browser_case).description == TEXT
    assert not Draft.objects.exists()


def session_of(user) -> dict:
    from accounts.models import UserSession

    row = UserSession.objects.filter(user=user).order_by("-last_seen").first()
    return row.get_decoded()


def test_a_draft_survives_the_idle_sign_out_and_comes_back_on_the_same_page(
    page, live_server, sign_in_page, browser_case, cast, one_minute
):
    sign_in_page("leerkracht")
    url = reverse("cases:entry_new", args=[browser_case.pk, "observation"])
    page.goto(live_server.url + url)
    axe_clean(page)
    type_observation(page)

    # Nothing happens now: a little before the minute is up, the page keeps the text and
    # signs out; the sign-in will lead back to this page.
    expect(page).to_have_url(re.compile(r"/inloggen/\?next="), timeout=90_000)
    expect(page.get_by_text("Je bent uitgelogd omdat er een tijd niets is gebeurd")).to_be_visible()
    axe_clean(page)
    assert Draft.objects.filter(user=cast.leerkracht, path=url).count() == 1
    assert TEXT not in Draft.objects.get().sealed

    page.get_by_label("Gebruikersnaam").fill("leerkracht")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    device = authenticator(User.objects.get(username="leerkracht"))
    page.get_by_label("Code").fill(current_code(device))
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(live_server.url + url)
    put_back_and_file(page, browser_case)


def test_a_draft_survives_the_quick_hide_and_the_hidden_screen_names_nothing(
    page, live_server, sign_in_page, browser_case, cast
):
    sign_in_page("leerkracht")
    url = reverse("cases:entry_new", args=[browser_case.pk, "observation"])
    page.goto(live_server.url + url)
    type_observation(page)
    # Another tab in front: the typed text is kept at once (a background tab's timers may
    # wake too late for the idle sign-out).
    with page.expect_response(lambda r: r.url.endswith(reverse("draft_keep"))):
        page.evaluate(
            """() => {
                Object.defineProperty(document, "visibilityState", {value: "hidden",
                                                                    configurable: true});
                document.dispatchEvent(new Event("visibilitychange"));
            }"""
        )
    assert Draft.objects.filter(user=cast.leerkracht, path=url).count() == 1
    page.evaluate(
        """() => { Object.defineProperty(document, "visibilityState", {value: "visible",
                                                                    configurable: true}); }"""
    )
    page.get_by_role("button", name="Scherm verbergen").click()

    expect(page).to_have_url(live_server.url + reverse("unlock"))
    expect(page).to_have_title("Nieuw tabblad")
    shown = page.locator("body").inner_text()
    for telling in ["Meldcode", "Veilig Thuis", "0800", cast.school.name, "leerkracht"]:
        assert telling not in shown, telling
    assert page.locator('link[rel="icon"]').get_attribute("href").endswith("blank.svg")
    axe_clean(page)
    assert Draft.objects.filter(user=cast.leerkracht, path=url).count() == 1

    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Verder").click()
    expect(page).to_have_url(live_server.url + url)
    put_back_and_file(page, browser_case)


def test_typing_keeps_the_session_alive(
    page, live_server, sign_in_page, browser_case, cast, one_minute
):
    sign_in_page("leerkracht")
    url = reverse("cases:entry_new", args=[browser_case.pk, "observation"])
    page.goto(live_server.url + url)
    kept_alive = []
    page.on(
        "request",
        lambda request: (
            kept_alive.append(time.time()) if request.url.endswith(reverse("keep_alive")) else None
        ),
    )
    warning = page.locator("[data-idle-warning]")
    description = page.locator("textarea[name=description]")
    description.click()
    started = time.time()
    # Typing for longer than the idle limit: a word every few seconds.
    while time.time() - started < 80:
        description.press_sequentially("en nog wat ")
        expect(warning).to_be_hidden()
        page.wait_for_timeout(4_000)
    assert len(kept_alive) >= 2, kept_alive
    assert time.time() - session_of(cast.leerkracht)[LAST_SEEN] < 45  # extended
    expect(page).to_have_url(live_server.url + url)  # still here, still signed in
    page.goto(live_server.url + reverse("home"))
    expect(page).to_have_url(live_server.url + reverse("home"))
    axe_clean(page)
