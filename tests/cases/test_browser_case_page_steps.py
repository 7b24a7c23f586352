"""The case page in every step, at a laptop's and a phone's size: "nu te doen" comes first,
above the fold, and says the step's work; the moves wait folded below it. Each page is
saved as a screenshot (MELDCODE_SCREENSHOTS, default a temporary folder) to look at."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from cases.meetings.services import meeting_plan
from cases.report.services import report_record
from cases.workflow import Step
from tests.cases.factories import make_case, ready_to_leave
from tests.conftest import pass_second_factor
from tests.factories import PupilFactory

SIZES = {"laptop": (1280, 900), "phone": (390, 844)}


def _sign_in(page, live_server, user) -> None:
    """The browser gets a session past the second factor (the sign-in itself has its own
    browser tests), so that each step's page is all this test looks at."""
    client = Client()
    client.force_login(user)
    pass_second_factor(client, user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def _cases(cast) -> list[tuple[str, object, object, str]]:
    """(name, case, the person who looks, what "nu te doen" must say) for every step."""

    def pupil(first: str):
        return PupilFactory(school=cast.school, first_name=first, last_name="Stapvoorbeeld")

    step1 = make_case(opened_by=cast.leerkracht, pupil=pupil("Anna"))
    step2 = make_case(opened_by=cast.leerkracht, pupil=pupil("Bas"), step=Step.CONSULT,
                      responsible=cast.ib)  # fmt: skip
    step3 = make_case(opened_by=cast.ib, pupil=pupil("Cor"), step=Step.TALK)
    step3_planned = make_case(opened_by=cast.ib, pupil=pupil("Dirk"), step=Step.TALK)
    meeting_plan(
        case=step3_planned,
        by=cast.ib,
        kind="parents",
        starts_at=timezone.now() - dt.timedelta(hours=2),
        place="Kamer van de IB'er",
        agenda="",
        staff=[cast.ib],
    )
    step4 = make_case(opened_by=cast.ib, pupil=pupil("Eva"), step=Step.WEIGH, responsible=cast.af)
    step4_weighed = make_case(opened_by=cast.ib, pupil=pupil("Fien"), step=Step.WEIGH,
                              responsible=cast.af)  # fmt: skip
    ready_to_leave(step4_weighed, Step.REPORT, cast.af)
    step5a = make_case(opened_by=cast.ib, pupil=pupil("Gijs"), step=Step.HELP, responsible=cast.af)
    step5b = make_case(opened_by=cast.ib, pupil=pupil("Hanna"), step=Step.REPORT,
                       responsible=cast.af)  # fmt: skip
    step5b_reported = make_case(opened_by=cast.ib, pupil=pupil("Ivo"), step=Step.REPORT,
                                responsible=cast.af)  # fmt: skip
    report_record(
        case=step5b_reported,
        by=cast.af,
        reported_on=timezone.localdate(),
        reported_by=cast.af,
        parents_told_on=timezone.localdate(),
        pupil_not_told_reason="Nog te jong om het te begrijpen.",
    )
    return [
        ("1-opener", step1, cast.leerkracht, "Leg vast wat je ziet en hoort"),
        ("2", step2, cast.ib, "Consulteer en vraag toestemming"),
        ("3", step3, cast.ib, "Plan het gesprek met de ouders"),
        ("3-talk-held", step3_planned, cast.ib, "Schrijf het verslag van het gesprek"),
        ("4", step4, cast.af, "Weeg de signalen"),
        ("4-weighed", step4_weighed, cast.af, "Zet de casus door zoals de weging besloot"),
        ("5a", step5a, cast.af, "Regel de hulp"),
        ("5b", step5b, cast.af, "Leg de melding bij Veilig Thuis vast"),
        ("5b-reported", step5b_reported, cast.af, "Wacht op Veilig Thuis (uiterlijk"),
    ]


@pytest.mark.parametrize("size", SIZES)
def test_the_case_page_leads_with_the_steps_work_above_the_fold_in_every_step(
    cast, transactional_db, page, live_server, size, tmp_path
):
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    folder = Path(os.environ.get("MELDCODE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    signed_in = None
    for name, case, person, says in _cases(cast):
        if person != signed_in:
            _sign_in(page, live_server, person)
            signed_in = person
        page.goto(f"{live_server.url}{case.get_absolute_url()}")
        now = page.get_by_test_id("now")
        expect(now).to_contain_text(says)
        box = now.bounding_box()
        assert box is not None and box["y"] < height, f"{name}: nu te doen starts below the fold"
        heading = now.get_by_role("heading").first.bounding_box()
        assert heading["y"] + heading["height"] <= height, f"{name}: its heading is cut off"
        # The moves wait behind "Naar een andere stap", except the path a weighing decided.
        if name == "4-weighed":
            expect(page.get_by_test_id("decided-moves")).to_be_visible()
            expect(page.get_by_test_id("move-closed")).to_have_count(0)
            expect(page.get_by_test_id("move-5a")).to_have_count(0)
        else:
            details = page.get_by_test_id("other-step")
            if details.count():
                expect(details).not_to_have_attribute("open", "")
        # Nothing sticks out sideways: no horizontal scrolling on a phone.
        wide = page.evaluate(
            """(width) => [...document.querySelectorAll('body *')]
                .filter((e) => e.getBoundingClientRect().right > width + 1)
                .slice(0, 5).map((e) => e.tagName + '.' + e.className)""",
            width,
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, wide)
        # The header keeps to one row: the brand and "Scherm verbergen" side by side.
        header = page.locator(".site-header").bounding_box()
        assert header["height"] <= 80, f"{name}: the header takes {header['height']} px"
        page.screenshot(path=str(folder / f"case-step-{name}-{size}.png"), full_page=True)


@pytest.mark.parametrize("size", SIZES)
def test_the_observation_form_is_the_first_form_of_a_step_1_case_for_its_opener(
    cast, transactional_db, page, live_server, size
):
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    case = make_case(opened_by=cast.leerkracht, pupil=cast.pupil)
    _sign_in(page, live_server, cast.leerkracht)
    page.goto(f"{live_server.url}{case.get_absolute_url()}")

    first = page.locator("main form").first
    expect(first).to_have_attribute("data-testid", "observation-form")
    expect(page.get_by_test_id("now").locator("form")).to_have_count(1)
    # Its first field starts on the first screen, without scrolling.
    field = first.locator("textarea, input:not([type=hidden])").first
    assert field.bounding_box()["y"] < height
    # Nothing of the later steps is shown to the teacher in step 1.
    for heading in ("Weging (stap 4)", "Melding bij Veilig Thuis (stap 5b)", "Hulp (stap 5a)"):
        expect(page.get_by_role("heading", name=heading)).to_have_count(0)
