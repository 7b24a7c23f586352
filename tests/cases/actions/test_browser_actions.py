"""In the browser: the ib'er signs in, sees an overdue agreement first, opens it and marks
it done."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from cases.meetings.services import meeting_plan, report_record, report_sign
from cases.workflow import Step
from tests.cases.factories import make_case


def test_the_ib_sees_an_overdue_agreement_first_and_marks_it_done(
    cast, transactional_db, page, sign_in_page
):
    case = make_case(
        opened_by=cast.leerkracht, pupil=cast.pupil, step=Step.TALK, responsible=cast.af
    )
    meeting = meeting_plan(
        case=case,
        by=cast.ib,
        kind="parents",
        place="Kamer",
        agenda="",
        starts_at=timezone.now() - dt.timedelta(hours=1),
        staff=[cast.ib],
    )
    agreement = {
        "description": "Wijkteam bellen over de aanmelding.",
        "owner": cast.ib,
        "due_on": timezone.localdate() - dt.timedelta(days=2),
    }
    report = report_record(
        meeting=meeting, by=cast.ib, report="Besproken.", reaction="Eens.", agreements=[agreement]
    )
    report_sign(report=report, by=cast.ib)

    sign_in_page("ib")
    first = page.get_by_test_id("action").first
    expect(first).to_contain_text("te laat: 2 dagen")
    expect(first).to_contain_text("Wijkteam bellen over de aanmelding.")
    first.get_by_role("link").click()
    page.get_by_role("button", name="Afgerond").click()
    expect(page.get_by_text("De afspraak is afgerond.")).to_be_visible()
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Mijn acties").click()
    expect(page.get_by_text("Wijkteam bellen over de aanmelding.")).to_have_count(0)
