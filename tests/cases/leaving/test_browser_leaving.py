"""In the browser: the aandachtsfunctionaris imports the pupils with Roos's date of
leaving, finds the leaving checklist in Mijn acties, works through it and closes the case
with "leerling vertrokken"."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from cases.leaving.models import LeavingRecord
from cases.models import Case
from cases.workflow import Step
from tests.cases.factories import make_case

RECEIVING = "Basisschool De Verre Verte"


def test_the_import_sets_the_date_of_leaving_and_the_af_works_through_the_checklist(
    cast, transactional_db, page, sign_in_page
):
    case = make_case(opened_by=cast.leerkracht, pupil=cast.pupil, step=Step.SIGNALS)
    pupil = cast.pupil
    today = timezone.localdate()
    csv = (
        "voornaam;tussenvoegsel;achternaam;geboortedatum;groep;uitschrijfdatum\n"
        f"{pupil.first_name};;{pupil.last_name};{pupil.date_of_birth:%d-%m-%Y};{pupil.group};"
        f"{today:%d-%m-%Y}\n"
    )

    sign_in_page("af")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    menu.get_by_role("link", name="Leerlingen").click()
    page.get_by_role("link", name="Importeren uit CSV").click()
    page.get_by_label(re.compile("^CSV-bestand")).set_input_files(
        files=[{"name": "leerlingen.csv", "mimeType": "text/csv", "buffer": csv.encode()}]
    )
    page.get_by_role("button", name="Importeren").click()
    expect(page.get_by_text("Import klaar")).to_be_visible()
    pupil.refresh_from_db()
    assert pupil.left_on == today

    menu.get_by_role("link", name="Mijn acties").click()
    page.get_by_role(
        "link", name=re.compile("De leerling vertrekt van school: werk de vertreklijst af")
    ).click()
    expect(page.get_by_role("heading", name=re.compile("^Vertreklijst"))).to_be_visible()

    # Closing is refused while the checklist is not done.
    page.get_by_label("De leerling is vertrokken: wat is er geregeld").fill("Vertrokken.")
    page.get_by_role("button", name="Sluiten: leerling vertrokken").click()
    expect(page.get_by_text("werk eerst de vertreklijst af")).to_be_visible()

    parents = page.get_by_test_id("leaving-parents")
    parents.get_by_label("Hoe zijn de ouders geïnformeerd").fill("Moeder gebeld; zij begrijpt het.")
    parents.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_text("Vastgelegd in het dossier.", exact=True)).to_be_visible()

    weighed = page.get_by_test_id("leaving-veilig_thuis")
    weighed.get_by_label("nee").check()
    weighed.get_by_label("Waarom").fill("Geen acute onveiligheid; de nieuwe school volgt op.")
    weighed.get_by_role("button", name="Vastleggen").click()

    handover = page.get_by_test_id("leaving-handover")
    handover.get_by_label("Ontvangende school").fill(RECEIVING)
    handover.get_by_label("Met wie").fill("Testnaam")
    handover.get_by_label("intern begeleider (ib'er)").check()
    handover.get_by_label("met schriftelijke toestemming van de ouders").check()
    handover.get_by_label("Wat is gedeeld").fill("De signalen en wie te bellen.")
    handover.get_by_role("button", name="Vastleggen").click()

    rapport = page.get_by_test_id("leaving-rapport")
    expect(rapport.get_by_test_id("rapport-line")).to_contain_text("Er is zorg")
    rapport.get_by_role("button", name="Vastleggen").click()
    assert LeavingRecord.objects.filter(case=case).count() == 4

    page.get_by_label("De leerling is vertrokken: wat is er geregeld").fill(
        "Warm overgedragen aan de ib'er van de nieuwe school."
    )
    page.get_by_role("button", name="Sluiten: leerling vertrokken").click()
    expect(page.get_by_test_id("current-step")).to_have_text("Afgesloten")
    expect(page.get_by_text("leerling vertrokken").first).to_be_visible()
    assert Case.objects.get(pk=case.pk).step == Step.CLOSED

    menu.get_by_role("link", name="Mijn acties").click()
    expect(page.get_by_text("werk de vertreklijst af")).to_have_count(0)
