"""In the browser: the ib'er finds the anonymised copy on the case page, gets only the
draft "zonder naam (concept)" until it is reviewed, reviews it part by part (keeps one
suggestion), submits, and downloads the reviewed copy, which the leeslog records."""

from playwright.sync_api import expect

from cases.inzage.anonymised import units_of
from tests.a11y.axe import axe_violations, describe
from tests.cases.pdf.conftest import pdf_text


def test_the_ib_reviews_the_anonymised_copy_and_downloads_it(
    cast, transactional_db, full_case, neighbour_entry, page, live_server, sign_in_page, tmp_path
):
    sign_in_page("ib")
    page.goto(f"{live_server.url}{full_case.get_absolute_url()}")
    page.get_by_test_id("anonymised-review-link").click()
    assert axe_violations(page) == [], describe(axe_violations(page))
    review_page = page.url
    page.get_by_test_id("anonymised-download").click()
    with page.expect_download() as draft:
        page.get_by_test_id("pdf-download").click()
    assert draft.value.suggested_filename == "dossier-zonder-naam-concept.pdf"
    page.goto(review_page)

    for unit in units_of(full_case):
        section = page.locator(f"section#{unit['key']}")
        if unit["entry_id"] == neighbour_entry.pk:
            section.get_by_role("checkbox", name="Weglaten: Goes").uncheck()  # kept
        section.get_by_role("button", name="Onderdeel opslaan en verder").click()
        expect(page.locator(f"section#{unit['key']}").get_by_test_id("unit-saved")).to_be_visible()
    page.get_by_role("button", name="Beoordeling indienen").click()
    expect(page.get_by_test_id("anonymised-standing")).to_contain_text("Beoordeeld door")
    page.get_by_test_id("anonymised-download").click()
    with page.expect_download() as reviewed:
        page.get_by_test_id("pdf-download").click()
    assert reviewed.value.suggested_filename == "dossier-zonder-naam.pdf"
    path = tmp_path / "anoniem.pdf"
    reviewed.value.save_as(path)
    text = " ".join(pdf_text(path.read_bytes(), tmp_path).split())
    assert "in Goes" in text and "Jolanda" not in text and "Lotte" not in text

    from cases.access_log import AccessLog

    last = AccessLog.objects.filter(case_id=full_case.pk, action="anonymised").last()
    assert last is not None and last.user == cast.ib
