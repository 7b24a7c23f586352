"""In the browser: a teacher records a first observation with two signals from the start
page in at most five clicks and without scrolling, on a laptop and on a phone."""

import re

import pytest
from playwright.sync_api import expect

from cases.dossier.models import Entry
from cases.models import Case
from cases.workflow import Step
from tests.a11y.axe import axe_violations, describe

SIZES = {"laptop": (1280, 900), "phone": (390, 844)}
MAX_CLICKS = 5


class Clicks:
    """Every click of the journey goes through here, so the test can count them."""

    def __init__(self, page) -> None:
        self.page = page
        self.count = 0

    def on(self, locator, check: bool = False) -> None:
        in_view(self.page, locator)
        self.count += 1
        if check:
            locator.check()
        else:
            locator.click()


def in_view(page, locator) -> None:
    """The element is on the screen as it is, without scrolling."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    assert box is not None
    assert box["x"] >= 0 and box["y"] >= 0, box
    assert box["x"] + box["width"] <= width and box["y"] + box["height"] <= height, (box, height)
    assert page.evaluate("() => window.scrollY") == 0


@pytest.mark.parametrize("size", SIZES)
def test_a_first_observation_with_two_signals_takes_five_clicks_and_no_scrolling(
    transactional_db, cast, page, live_server, sign_in_page, size
):
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    sign_in_page("leerkracht")
    page.goto(f"{live_server.url}/")
    form = page.get_by_test_id("quick-record")
    expect(form).to_be_visible()
    violations = axe_violations(page)
    assert not violations, describe(violations)

    clicks = Clicks(page)
    pupil = form.get_by_role("combobox", name="Leerling")
    in_view(page, pupil)
    pupil.fill("Roos")
    option = form.get_by_role("option", name=re.compile("Roos Testhuis"))
    expect(option).to_be_visible()
    violations = axe_violations(page)
    assert not violations, describe(violations)
    clicks.on(option)
    expect(pupil).to_have_value(re.compile("Roos Testhuis"))

    fields = {
        "Wat zag, hoorde of rook je?": "Roos had een blauwe plek op haar bovenarm.",
        "Plaats": "schoolplein",
        "Situatie": "ochtendpauze",
    }
    for label, text in fields.items():
        field = form.get_by_label(label)
        in_view(page, field)
        field.fill(text)

    finder = form.get_by_label("Zoek een signaal")
    in_view(page, finder)
    finder.fill("blauwe plek")
    clicks.on(form.get_by_label(re.compile("blauwe plekken")), check=True)
    finder.fill("oververmoeid")
    clicks.on(form.get_by_label("oververmoeid", exact=True), check=True)

    for label in fields:
        in_view(page, form.get_by_label(label))
    in_view(page, form.get_by_label(re.compile("blauwe plekken")))
    clicks.on(form.get_by_role("button", name="Opslaan"))

    expect(page.get_by_text("De casus is geopend in stap 1")).to_be_visible()
    assert clicks.count <= MAX_CLICKS
    case = Case.objects.get()
    assert (case.step, case.pupil, case.opened_by) == (Step.SIGNALS, cast.pupil, cast.leerkracht)
    entry = Entry.objects.get(case=case)
    assert entry.kind == Entry.Kind.OBSERVATION
    assert entry.signals.count() == 2
    observation = page.locator("article.entry-observation")
    expect(observation).to_contain_text("blauwe plek op haar bovenarm")
    expect(observation.locator(".tags li")).to_have_count(2)


def test_choosing_a_pupil_with_an_open_case_says_so_and_adds_to_it_by_default(
    transactional_db, cast, page, live_server, sign_in_page
):
    from tests.cases.factories import make_case

    case = make_case(opened_by=cast.leerkracht, pupil=cast.pupil)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in_page("leerkracht")
    page.goto(f"{live_server.url}/")
    form = page.get_by_test_id("quick-record")
    form.get_by_role("combobox", name="Leerling").fill("Testhuis")
    form.get_by_role("option", name=re.compile("Roos Testhuis")).click()
    expect(form.get_by_text("Deze leerling heeft al een open casus:", exact=True)).to_be_visible()
    expect(form.get_by_role("link", name=f"Casus {case.pk}")).to_have_attribute(
        "href", case.get_absolute_url()
    )
    expect(form.get_by_label("De waarneming aan die casus toevoegen")).to_be_checked()
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_without_javascript_the_pupil_is_found_by_a_search_and_chosen_from_a_list(
    transactional_db, cast, browser, page, live_server, sign_in_page
):
    sign_in_page("leerkracht")
    # The same session in a browser that runs no JavaScript.
    context = browser.new_context(java_script_enabled=False)
    context.add_cookies(page.context.cookies())
    page = context.new_page()
    page.goto(f"{live_server.url}/")

    form = page.get_by_test_id("quick-record")
    form.get_by_label("Leerling", exact=True).fill("Testhuis")
    form.get_by_label("Wat zag, hoorde of rook je?").fill("Huilde bij binnenkomst.")
    form.get_by_role("button", name="Zoeken").click()
    form = page.get_by_test_id("quick-record")
    expect(form.get_by_label("Wat zag, hoorde of rook je?")).to_have_value(
        "Huilde bij binnenkomst."
    )
    form.get_by_label("Kies de leerling").select_option(label="Roos Testhuis (groep 5)")
    form.get_by_label("Plaats").fill("klas")
    form.get_by_label("Situatie").fill("binnenkomst")
    # (axe needs JavaScript: the same form is checked in the tests above.)
    form.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De casus is geopend in stap 1")).to_be_visible()
    assert Entry.objects.get().case.pupil == cast.pupil
    context.close()
