"""In the browser: the ib'er signs in, opens Mijn acties, sees the case with the overdue
agreement as the first group (pupil, case, step), marks the agreement done in place (a
plain form, no script needed) and sees it as "afgerond" with what was recorded; axe finds
nothing wrong with the page before and after."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cases.meetings.models import Agreement
from cases.meetings.services import meeting_plan, report_record, report_sign
from cases.workflow import Step
from tests.a11y.axe import axe_violations, describe
from tests.cases.factories import make_case
from tests.factories import PupilFactory


def test_the_ib_marks_an_overdue_agreement_done_in_place_on_the_grouped_page(
    cast, transactional_db, page, live_server, sign_in_page
):
    calm = make_case(
        opened_by=cast.leerkracht,
        pupil=PupilFactory(school=cast.school, first_name="Anna", last_name="Rustig"),
        step=Step.CONSULT,
        responsible=cast.ib,
    )
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
    page.goto(live_server.url + reverse("cases:actions"))
    groups = page.get_by_test_id("action-group")
    expect(groups).to_have_count(2)
    first = groups.first
    expect(first.get_by_role("heading")).to_contain_text("Roos Testhuis")
    expect(first.get_by_role("heading")).to_contain_text(f"Casus {case.pk}")
    expect(first.get_by_role("heading")).to_contain_text("3. Gesprek")
    expect(first.get_by_role("heading")).to_contain_text("1 te laat")
    item = first.get_by_test_id("action").first
    expect(item).to_contain_text("te laat: 2 dagen")
    expect(item).to_contain_text("Wijkteam bellen over de aanmelding.")
    expect(groups.nth(1).get_by_role("heading")).to_contain_text(f"Casus {calm.pk}")
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    item.get_by_role("button", name="Afgerond").click()

    expect(page.get_by_text("Vastgelegd: de afspraak bij Casus")).to_be_visible()
    done = (
        page.locator(f"#case-{case.pk}")
        .get_by_test_id("action")
        .filter(has_text="Wijkteam bellen over de aanmelding.")
    )
    expect(done).to_contain_text("afgerond")
    expect(done.get_by_role("button")).to_have_count(0)
    assert Agreement.objects.get(description=agreement["description"]).done_by == cast.ib
    violations = axe_violations(page)
    assert violations == [], describe(violations)
