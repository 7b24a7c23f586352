"""In the browser: the aandachtsfunctionaris downloads the inspectie PDF of a demo case."""

import os

from django.core.management import call_command

from cases.models import Case


def test_the_af_downloads_the_inspectie_pdf_of_a_demo_case(
    transactional_db, page, live_server, sign_in_page, tmp_path
):
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    case = Case.objects.filter(step="5b", reports__isnull=False).first()
    sign_in_page("af", os.environ["DEMO_PASSWORD"])
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Dossier-PDF voor de inspectie").click()
    download = download_info.value
    assert download.suggested_filename == f"dossier-casus-{case.pk}-inspectie.pdf"
    path = tmp_path / "dossier.pdf"
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
