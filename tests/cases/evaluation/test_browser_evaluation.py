"""In the browser: the directie opens the evaluation and downloads the CSV; the charts
show at their own size (one viewBox unit one CSS pixel, 12 px text) on a desktop and a
phone, and the page passes axe."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.a11y.axe import axe_violations, describe


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


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_the_charts_show_at_their_own_size_with_12_px_text(
    cast, transactional_db, live_server, page, sign_in_page, width, height
):
    page.set_viewport_size({"width": width, "height": height})
    sign_in_page("directie")
    page.goto(live_server.url + reverse("cases:evaluation"))
    charts = page.locator("svg.bars")
    assert charts.count() >= 3
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        _x, _y, view_width, view_height = (float(n) for n in chart.get_attribute("viewBox").split())
        # One viewBox unit is one CSS pixel: the chart is drawn neither smaller nor larger.
        assert (round(box["width"]), round(box["height"])) == (view_width, view_height)
        sizes = chart.locator("text").evaluate_all(
            "texts => texts.map(t => parseFloat(getComputedStyle(t).fontSize))"
        )
        assert sizes and all(11 <= size <= 12 for size in sizes)
    violations = axe_violations(page)
    assert violations == [], describe(violations)
