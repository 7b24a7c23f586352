"""In the browser: the aandachtsfunctionaris opens an inzage request and reviews the
parents' copy (accepts and rejects a suggestion, withholds one entry), the directie
approves, the copy downloads, and the leeslog shows the release."""

import re

from playwright.sync_api import expect

from cases.dossier.models import Entry
from cases.pdf.services import review_units
from tests.cases.pdf.conftest import pdf_text

HYPOTHESIS = "Mogelijk wordt het kind thuis hardhandig vastgepakt."


def test_the_af_reviews_the_directie_approves_and_the_copy_downloads(
    cast, transactional_db, full_case, neighbour_entry, page, live_server, sign_in_page,
    tmp_path, settings,
):  # fmt: skip
    settings.MELDCODE_UPLOAD_ROOT = tmp_path / "uploads"
    hypothesis = Entry.objects.get(case=full_case, kind="hypothesis")
    sign_in_page("af")
    page.goto(f"{live_server.url}{full_case.get_absolute_url()}")
    page.get_by_role("link", name=re.compile("^Inzage voor de ouders")).click()
    page.get_by_label("een ouder met gezag").check()
    page.get_by_label("Naam van de aanvrager").fill("Moeder van Zoë")
    page.get_by_role("button", name="Verzoek vastleggen").click()
    expect(page.get_by_test_id("inzage-state")).to_contain_text("open")

    page.get_by_role("link", name="Kopie beoordelen").click()
    for unit in review_units(full_case):
        section = page.locator(f"section#{unit['key']}")
        if unit["entry_id"] == neighbour_entry.pk:
            expect(section.get_by_role("checkbox", name="Weglaten: Lotte")).to_be_checked()
            section.get_by_role("checkbox", name="Weglaten: Goes").uncheck()  # rejected
        if unit["entry_id"] == hypothesis.pk:
            section.get_by_label("Niet ter inzage").select_option(
                label="de bescherming van het kind"
            )
            section.get_by_label(re.compile("^Waarom")).fill("Hulp loopt; in vertrouwen verteld.")
        section.get_by_role("button", name="Onderdeel opslaan en verder").click()
        expect(page.locator(f"section#{unit['key']}").get_by_test_id("unit-saved")).to_be_visible()
    page.get_by_role("button", name="Beoordeling indienen voor akkoord").click()
    expect(page.get_by_test_id("inzage-awaiting")).to_be_visible()
    expect(page.get_by_role("button", name="Akkoord: kopie vrijgeven")).to_have_count(0)
    page.get_by_role("button", name="Uitloggen").click()

    sign_in_page("directie")
    page.goto(f"{live_server.url}/casussen/acties/")
    page.get_by_role("link", name=re.compile("geef akkoord op de beoordeelde kopie")).click()
    page.get_by_role("button", name="Akkoord: kopie vrijgeven").click()
    expect(page.get_by_test_id("inzage-released")).to_contain_text("Moeder van Zoë")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="De verstrekte kopie downloaden").click()
    path = tmp_path / "kopie.pdf"
    download_info.value.save_as(path)
    text = " ".join(pdf_text(path.read_bytes(), tmp_path).split())
    assert "in Goes" in text and "Jolanda" not in text and "Lotte" not in text
    assert HYPOTHESIS not in text

    page.goto(f"{live_server.url}/casussen/{full_case.pk}/leeslog/")
    releases = page.get_by_test_id("inzage-releases")
    expect(releases).to_contain_text("Moeder van Zoë (een ouder met gezag)")
    expect(releases).to_contain_text(str(cast.directie))
    expect(
        page.get_by_role("cell", name="gaf de inzage-kopie vrij aan de aanvrager")
    ).to_be_visible()
