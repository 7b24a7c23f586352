"""In the browser: the aandachtsfunctionaris asks for the inspectie PDF of a demo case, and
downloads it from the page that shows it prepared."""

import os

from django.core.management import call_command
from playwright.sync_api import expect

from cases.models import Case
from cases.pdf.exports import pdf_export_render
from cases.pdf.models import PdfExport
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


def test_the_page_shows_the_pdf_being_prepared_then_offers_it_without_a_reload(
    cast, transactional_db, full_case, page, live_server, sign_in_page, settings
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    sign_in_page("af")
    page.goto(f"{live_server.url}{full_case.get_absolute_url()}")
    page.get_by_role("button", name="Dossier-PDF voor de inspectie").click()
    status = page.get_by_test_id("export-status")
    expect(status).to_contain_text("Het dossier wordt klaargemaakt…")
    waiting_url = page.url
    pdf_export_render(export_id=PdfExport.objects.get().pk)  # what the worker does
    # The page looks again by itself (htmx, every 2 s) and offers the download.
    expect(page.get_by_role("link", name="Download de pdf")).to_be_visible(timeout=15_000)
    assert page.url == waiting_url
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download de pdf").click()
    assert download_info.value.suggested_filename == f"dossier-casus-{full_case.pk}-inspectie.pdf"
