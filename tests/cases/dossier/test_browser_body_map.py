"""In the browser: a teacher records an injury on the body map with the keyboard alone,
and axe finds nothing wrong with the page."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cases.dossier import body_map
from cases.models import BodyMark, Entry
from cases.services import case_open
from tests.a11y.axe import axe_violations, describe


@pytest.fixture
def browser_case(transactional_db, cast):
    return case_open(pupil=cast.pupil, by=cast.leerkracht)


def focused(page) -> str:
    """What has the focus: its tag, name and text, to steer by."""
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return `${e.tagName} ${e.name || ''} ${(e.textContent || '').trim()}`; }"
    )


def tab_until(page, pattern: str, limit: int = 200) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if re.search(pattern, focused(page)):
            return
    raise AssertionError(f"the keyboard never reached {pattern!r}")


def choose_with_arrows(page, select_name: str, index: int) -> None:
    """In the focused select, move down to the option at `index` with the arrow key."""
    assert select_name in focused(page)
    for _ in range(index):
        page.keyboard.press("ArrowDown")


def region_index(code: str) -> int:
    return 1 + [region.code for region in body_map.REGIONS].index(code)  # 0 is "choose"


def record_mark(page, number: int, code: str, size: str, colour: str, said: str) -> None:
    prefix = f"marks-{number - 1}"
    tab_until(page, rf"^SUMMARY .*Letsel {number}")
    if number > 1:
        page.keyboard.press("Enter")  # opens the mark
    page.keyboard.press("Tab")
    choose_with_arrows(page, f"{prefix}-region", region_index(code))
    page.keyboard.press("Tab")
    choose_with_arrows(page, f"{prefix}-kind", 1)  # blauwe plek
    page.keyboard.press("Tab")
    page.keyboard.type(size)
    page.keyboard.press("Tab")
    page.keyboard.type(colour)
    page.keyboard.press("Tab")
    choose_with_arrows(page, f"{prefix}-shape", 1)  # vingervormig
    page.keyboard.press("Tab")
    assert f"{prefix}-said" in focused(page)
    page.keyboard.type(said)


def test_a_teacher_records_two_marks_with_the_keyboard_alone_and_axe_finds_nothing(
    page, live_server, sign_in_page, browser_case, cast
):
    sign_in_page("leerkracht")
    page.goto(live_server.url + reverse("cases:entry_new", args=[browser_case.pk, "observation"]))
    expect(page.get_by_role("heading", name=re.compile("^Waarneming"))).to_be_visible()

    page.get_by_label("Plaats").focus()
    page.keyboard.type("Gymzaal")
    page.keyboard.press("Tab")
    page.keyboard.type("Omkleden na de gymles")
    tab_until(page, "TEXTAREA description")
    page.keyboard.type("Blauwe plekken op beide bovenarmen.")

    tab_until(page, "^SUMMARY .*Lichaamskaart")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Maak nooit een foto van het lichaam van een kind.")).to_be_visible()
    record_mark(page, 1, "back.upper_arm.left", "4", "blauwpaars", "Het kind zei: van het spelen.")
    record_mark(page, 2, "front.upper_arm.right", "3.5", "geelgroen", "")

    # The outline shows the two places chosen in the lists.
    chosen = page.locator("[data-body-map-input] .region.chosen")
    expect(chosen).to_have_count(2)
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    tab_until(page, "^BUTTON .*Toevoegen aan het dossier")
    page.keyboard.press("Enter")
    expect(page.get_by_text("De aantekening staat in het dossier.")).to_be_visible()

    entry = Entry.objects.get(case=browser_case)
    marks = list(BodyMark.objects.filter(entry=entry).order_by("number"))
    assert [(m.number, m.region, m.kind, m.shape) for m in marks] == [
        (1, "back.upper_arm.left", "bruise", "finger"),
        (2, "front.upper_arm.right", "bruise", "finger"),
    ]
    assert [str(m.size_cm) for m in marks] == ["4.0", "3.5"]
    assert [m.colour for m in marks] == ["blauwpaars", "geelgroen"]
    section = page.locator(f"#entry-{entry.pk} .body-map")
    expect(section.get_by_role("heading", name="Lichaamskaart")).to_be_visible()
    expect(section.locator("tbody tr")).to_have_count(2)
    expect(section).to_contain_text("linker bovenarm, achterkant")
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_clicking_the_outline_chooses_the_place_in_the_list(
    page, live_server, sign_in_page, browser_case
):
    sign_in_page("leerkracht")
    url = reverse("cases:entry_new", args=[browser_case.pk, "observation"])
    page.goto(f"{live_server.url}{url}?letsel=1")
    page.locator('[data-body-map-input] [data-region="front.ear.left"]').click()
    expect(page.locator('select[name="marks-0-region"]')).to_have_value("front.ear.left")
    expect(page.locator('select[name="marks-0-region"]')).to_be_focused()
    page.locator("summary", has_text="Letsel 2").click()
    page.locator('[data-body-map-input] [data-region="back.groin"]').click()
    expect(page.locator('select[name="marks-1-region"]')).to_have_value("back.groin")
    expect(page.locator('select[name="marks-0-region"]')).to_have_value("front.ear.left")
    expect(page.locator("[data-body-map-input] .region.chosen")).to_have_count(2)
