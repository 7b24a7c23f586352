"""In the browser: the ib'er records a consultation with consent, plans a talk with the
parents, writes its report with an agreement, and both staff participants sign it."""

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import expect

from cases.workflow import Step
from tests.cases.factories import make_case
from tests.cases.uploads import pdf_bytes
from tests.socialmap.factories import OrganisationFactory

PDF = pdf_bytes()


def test_the_ib_consults_talks_with_the_parents_and_both_sign_the_report(
    cast, transactional_db, page, live_server, sign_in_page, tmp_path, settings
):
    settings.MELDCODE_UPLOAD_ROOT = tmp_path / "uploads"
    OrganisationFactory(school=cast.school, name="Schoolmaatschappelijk werk Oost")
    case = make_case(opened_by=cast.leerkracht, pupil=cast.pupil, step=Step.CONSULT,
                     responsible=cast.ib)  # fmt: skip
    form = tmp_path / "toestemming.pdf"
    form.write_bytes(PDF)
    today = timezone.localdate().isoformat()

    sign_in_page("ib")
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    page.get_by_test_id("now").get_by_role(
        "link", name="Toestemming van de ouders vastleggen"
    ).click()
    page.get_by_label("gegeven", exact=True).check()
    page.get_by_label("Datum").fill(today)
    page.get_by_label(re.compile("^Ondertekend formulier")).set_input_files(str(form))
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_test_id("consent")).to_contain_text("gegeven")

    page.get_by_test_id("now").get_by_role("link", name="Consultatie vastleggen").click()
    page.get_by_label("Datum").fill(today)
    page.get_by_label("een organisatie van de sociale kaart").check()
    page.locator("#id_organisation").select_option(label="Schoolmaatschappelijk werk Oost")
    page.get_by_label("Vraag").fill("Hoe bespreken we de signalen met de ouders?")
    page.get_by_label("Ontvangen advies").fill("Eerst de feiten, dan pas de duiding.")
    # Anonymous is ticked beforehand (privacy by default); with consent, the pupil is named.
    page.get_by_label(re.compile("^Anoniem")).uncheck()
    page.get_by_role("button", name="Consultatie vastleggen").click()
    expect(page.get_by_test_id("consultation")).to_contain_text("bij naam, met toestemming")

    page.get_by_role("link", name="gesprek met de ouders").click()
    held = timezone.localtime() - dt.timedelta(hours=1)
    page.get_by_label("Datum en tijd").fill(held.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Plaats").fill("Kamer van de IB'er")
    page.get_by_label(str(cast.af.get_full_name())).check()
    page.get_by_role("button", name="Gesprek plannen").click()
    expect(page.get_by_text("Het gesprek is gepland")).to_be_visible()

    page.locator("#id_report").fill("Doel uitgelegd, feiten uit het logboek besproken.")
    page.get_by_label(re.compile("^De eigen reactie")).fill("Moeder herkent de vermoeidheid.")
    page.locator("#id_agreement_1").fill("Ouders melden zich bij het wijkteam.")
    page.locator("#id_agreement_1_owner").select_option(label=cast.ib.get_full_name())
    page.locator("#id_agreement_1_due_on").fill(today)
    page.get_by_role("button", name="Verslag vastleggen").click()
    expect(page.get_by_test_id("agreement")).to_contain_text("Ouders melden zich")
    page.get_by_role("button", name="Verslag ondertekenen").click()
    expect(page.get_by_test_id("signature")).to_have_count(1)
    talk_url = page.url
    page.get_by_role("button", name="Uitloggen").click()

    sign_in_page("af")
    page.goto(talk_url)
    page.get_by_role("button", name="Verslag ondertekenen").click()
    expect(page.get_by_test_id("signature")).to_have_count(2)
    expect(page.get_by_text("ondertekend en vergrendeld")).to_be_visible()
