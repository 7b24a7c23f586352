"""In the browser: the teacher opens a case and hands it to the IB'er; the IB'er sees it."""

import re

from playwright.sync_api import expect

STEP_1 = "1. Signalen in kaart brengen"
STEP_2 = "2. Collegiale consultatie en advies Veilig Thuis"


def test_the_teacher_opens_a_case_and_hands_it_to_the_ib_who_sees_it(
    cast, transactional_db, page, sign_in_page
):
    sign_in_page("leerkracht")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Casussen").click()
    page.get_by_role("link", name="Nieuwe casus").click()
    page.get_by_label("Naam").fill("Testhuis")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_label("Roos Testhuis (groep 5)").check()
    page.get_by_role("button", name="Casus openen").click()

    expect(page.get_by_test_id("current-step")).to_have_text(STEP_1)
    expect(page.get_by_test_id("responsible")).to_have_text(str(cast.leerkracht))
    # The step's work comes first: the observation form is the first form of the page.
    expect(page.locator("main form").first).to_have_attribute("data-testid", "observation-form")
    page.get_by_text("Naar een andere stap").click()
    page.get_by_role("button", name=f"Naar {STEP_2}").click()

    expect(page.get_by_test_id("current-step")).to_have_text(STEP_2)
    expect(page.get_by_test_id("responsible")).to_have_text(str(cast.ib))
    # The teacher may no longer act: no action buttons, on the page or behind it.
    expect(page.get_by_role("button", name=re.compile("^Naar "))).to_have_count(0)
    page.get_by_role("button", name="Uitloggen").click()

    sign_in_page("ib")
    expect(page.get_by_role("link", name=re.compile("Casus \\d+ · Roos Testhuis"))).to_be_visible()
    page.get_by_role("link", name=re.compile("Casus \\d+ · Roos Testhuis")).click()
    expect(page.get_by_test_id("current-step")).to_have_text(STEP_2)
    expect(page.get_by_test_id("now")).to_contain_text("Consulteer en vraag toestemming")
    page.get_by_text("Naar een andere stap").click()
    expect(page.get_by_role("button", name=re.compile("^Naar 3\\."))).to_be_visible()
