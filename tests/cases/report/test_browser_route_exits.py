"""In the browser (issue 21): a weighing with question 2 "ja" leads to 5b; the move to 5a
is refused until the report is recorded, then allowed; the board sees an escalated case
without its name."""

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import expect

from cases.matrix import school_terms
from cases.models import Case
from cases.workflow import Step
from tests.cases.factories import make_case
from tests.cases.report.test_browser_report import STEP_5B, answer

STEP_5A = "5a. Hulp organiseren en effecten volgen"


def test_acute_unsafety_leads_to_5b_which_is_left_only_after_the_report(
    cast, transactional_db, page, live_server, sign_in_page
):
    case = make_case(opened_by=cast.leerkracht, pupil=cast.pupil, step=Step.WEIGH)
    today = timezone.localdate().isoformat()
    sign_in_page("af")
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    page.get_by_test_id("now").get_by_role(
        "link", name="Wegen: beantwoord de afwegingsvragen"
    ).click()
    expect(page.get_by_text(re.compile("^Acute onveiligheid:"))).to_be_visible()
    answer(page, 1, "ja", "Kind vertelt over slaan thuis.")
    answer(page, 2, "ja", "Acuut: kind durft niet naar huis.")
    answer(page, 3, "ja", "Met Veilig Thuis: hulp via het wijkteam mogelijk.")
    answer(page, 4, "ja", "Moeder wil hulp.")
    page.get_by_label("Veilig Thuis (gevraagd mee te wegen)").check()
    page.get_by_label("de directie").check()
    page.get_by_role("group", name="Is een melding bij Veilig Thuis noodzakelijk?").get_by_label(
        "ja", exact=True
    ).check()
    page.get_by_role("group", name="Is (ook) hulp mogelijk?").get_by_label("ja", exact=True).check()
    page.get_by_role("button", name="Weging vastleggen").click()
    expect(page.get_by_test_id("weighing")).to_contain_text("de directie")
    page.get_by_role("button", name=f"Naar {STEP_5B}").click()
    expect(page.get_by_test_id("current-step")).to_have_text(STEP_5B)
    expect(page.get_by_test_id("report-missing")).to_be_visible()

    # Without a report the move to 5a is not offered: it shows disabled, with what is missing.
    page.get_by_text("Naar een andere stap").click()
    move = page.get_by_test_id("move-5a")
    expect(move.get_by_role("button", name=f"Naar {STEP_5A}")).to_be_disabled()
    expect(move.get_by_text(re.compile("Bij deze casus is geen melding"))).to_be_visible()
    expect(page.get_by_test_id("current-step")).to_have_text(STEP_5B)

    # "Nu te doen" leads with the report.
    expect(page.get_by_test_id("now")).to_contain_text("Leg de melding bij Veilig Thuis vast")
    page.get_by_test_id("now").get_by_role("link", name="Melding vastleggen", exact=True).click()
    page.get_by_label("Gesprek met de ouders over de voorgenomen melding, op").fill(today)
    page.get_by_label("Gemeld op").fill(today)
    page.get_by_role("button", name="Melding vastleggen").click()
    expect(page.get_by_text("De melding bij Veilig Thuis is vastgelegd.")).to_be_visible()
    expect(page.get_by_test_id("report-missing")).to_have_count(0)
    expect(page.get_by_test_id("now")).to_contain_text("Wacht op Veilig Thuis (uiterlijk")
    page.get_by_text("Naar een andere stap").click()
    page.get_by_role("button", name=f"Naar {STEP_5A}").click()
    expect(page.get_by_test_id("current-step")).to_have_text(STEP_5A)


def test_the_board_sees_an_escalated_case_without_its_name(
    cast, transactional_db, page, live_server, sign_in_page
):
    term = school_terms(cast.school)[Step.TALK]
    case = make_case(opened_by=cast.leerkracht, pupil=cast.pupil, step=Step.TALK,
                     responsible=cast.ib)  # fmt: skip
    Case.objects.filter(pk=case.pk).update(
        step_entered_at=timezone.now() - dt.timedelta(days=2 * term + 5)
    )
    sign_in_page("bestuur")
    panel = page.get_by_test_id("board-escalations")
    expect(panel).to_contain_text(cast.school.name)
    expect(panel).to_contain_text(f"{term + 5} dagen")
    expect(page.locator("body")).not_to_contain_text(cast.pupil.last_name)
