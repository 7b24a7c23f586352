"""In the browser: the aandachtsfunctionaris asks for the inspectie PDF of a demo case, and
downloads it from the page that shows it prepared."""

import os

from django.core.management import call_command
from playwright.sync_api import expect

from cases.models import Case
from tests.a11y.axe import axe_violations, describe


def test_the_af_downloads_the_inspectie_pdf_of_a_demo_case(
    transactional_db, page, live_server, sign_in_page, tmp_path
):
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    case = Case.objects.filter(step="5b", reports__isnull=False).first()
    sign_in_page("af", os.environ["DEMO_PASSWORD"])
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    page.get_by_role("button", name="Dossier-PDF voor de inspectie").click()
    # Tests run the task at once (settings.TASKS): the waiting page offers the download.
    expect(page.get_by_test_id("export-status")).to_contain_text("De pdf is klaar.")
    assert axe_violations(page) == [], describe(axe_violations(page))
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download de pdf").click()
    download = download_info.value
    assert download.suggested_filename == f"dossier-casus-{case.pk}-inspectie.pdf"
    path = tmp_path / "dossier.pdf"
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
