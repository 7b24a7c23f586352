"""In the browser: the aandachtsfunctionaris weighs a case, decides on a report, opens the
call sheet, records the report and Veilig Thuis's conclusion."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from cases.workflow import Step
from tests.cases.factories import make_case

STEP_5B = "5b. Melden bij Veilig Thuis"


def answer(page, question: int, value: str, reasoning: str) -> None:
    page.get_by_role("group", name=re.compile(f"^{question}\\. ")).get_by_label(
        value, exact=True
    ).check()
    page.locator(f"#id_q{question}_reasoning").fill(reasoning)


def test_the_af_weighs_reports_and_records_the_conclusion(
    cast, transactional_db, page, live_server, sign_in_page
):
    case = make_case(opened_by=cast.leerkracht, pupil=cast.pupil, step=Step.WEIGH)
    today = timezone.localdate().isoformat()

    sign_in_page("af")
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    page.get_by_test_id("now").get_by_role(
        "link", name="Wegen: beantwoord de afwegingsvragen"
    ).click()
    answer(page, 1, "ja", "Herhaalde blauwe plekken; uitleg klopt niet.")
    answer(page, 2, "twijfel", "Signalen nemen toe.")
    answer(page, 3, "ja", "Schoolmaatschappelijk werk kan helpen.")
    answer(page, 4, "nee", "Ouders weigeren hulp.")
    page.get_by_role("button", name="Toon het advies").click()
    expect(page.get_by_test_id("report-required")).to_be_visible()
    expect(page.get_by_test_id("advice")).to_contain_text("Melden bij Veilig Thuis.")

    page.get_by_label("Contact met Veilig Thuis").fill("Advies van Veilig Thuis, vanochtend.")
    page.get_by_role("group", name="Is een melding bij Veilig Thuis noodzakelijk?").get_by_label(
        "ja", exact=True
    ).check()
    page.get_by_role("group", name="Is (ook) hulp mogelijk?").get_by_label(
        "nee", exact=True
    ).check()
    page.get_by_role("button", name="Weging vastleggen").click()
    expect(page.get_by_text("De weging is vastgelegd.", exact=True)).to_be_visible()
    expect(page.get_by_test_id("weighing")).to_contain_text("Signalen nemen toe.")

    page.get_by_role("button", name=f"Naar {STEP_5B}").click()
    expect(page.get_by_test_id("current-step")).to_have_text(STEP_5B)
    expect(page.get_by_test_id("report-pending")).to_be_visible()

    page.get_by_test_id("now").get_by_role("link", name="Belblad voor de melding").click()
    expect(page.get_by_role("heading", name="Belblad voor Veilig Thuis (melding)")).to_be_visible()
    expect(page.get_by_test_id("call-sheet-item").first).to_be_visible()
    page.go_back()

    page.get_by_role("link", name="Melding vastleggen").click()
    page.get_by_label("Gesprek met de ouders over de voorgenomen melding, op").fill(today)
    page.get_by_label("Gemeld op").fill(today)
    page.get_by_label("Kenmerk van Veilig Thuis").fill("VT-TEST-7")
    page.get_by_role("button", name="Melding vastleggen").click()
    expect(page.get_by_text("De melding bij Veilig Thuis is vastgelegd.")).to_be_visible()
    expect(page.get_by_test_id("report")).to_contain_text("VT-TEST-7")

    page.get_by_role("link", name="Antwoord van Veilig Thuis vastleggen").click()
    page.get_by_label("conclusie van het onderzoek").check()
    page.get_by_label("Ontvangen op").fill(today)
    page.locator("#id_conclusion").select_option(label="bevestigd")
    page.get_by_role("button", name="Antwoord vastleggen").click()
    expect(page.get_by_text("Het antwoord van Veilig Thuis is vastgelegd.")).to_be_visible()
    expect(page.get_by_test_id("report")).to_contain_text("bevestigd")
