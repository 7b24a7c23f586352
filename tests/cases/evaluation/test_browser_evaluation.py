"""In the browser: the directie opens the evaluation and downloads the CSV."""

from playwright.sync_api import expect


def test_the_directie_opens_the_dashboard_and_downloads_the_csv(
    cast, transactional_db, page, sign_in_page, tmp_path
):
    sign_in_page("directie")
    page.get_by_role("link", name="Evaluatie van de meldcode").click()
    expect(page.get_by_role("heading", name="Casussen geopend en gesloten")).to_be_visible()
    expect(page.get_by_test_id("figure-cases").locator("svg")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_test_id("csv").click()
    download = download_info.value
    assert download.suggested_filename == "evaluatie-meldcode.csv"
    path = tmp_path / "evaluatie.csv"
    download.save_as(path)
    assert "Casussen geopend en gesloten;geopend;0" in path.read_text(encoding="utf-8")
