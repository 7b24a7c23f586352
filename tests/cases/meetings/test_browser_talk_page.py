"""In the browser: the talk page says where the talk stands, offers it for one's own
calendar, says the report is written there afterwards, and offers the report printed
for the parents next to the sign-off it asks for. axe checks each state."""

import datetime as dt
from pathlib import Path

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from cases.meetings.models import Meeting
from cases.meetings.services import meeting_plan, report_record
from cases.workflow import Step
from tests.a11y.axe import axe_violations, describe
from tests.cases.factories import make_case


def test_the_talk_page_before_after_and_once_reported(
    cast, transactional_db, page, live_server, sign_in_page
):
    case = make_case(opened_by=cast.leerkracht, pupil=cast.pupil, step=Step.TALK,
                     responsible=cast.ib)  # fmt: skip
    meeting = meeting_plan(case=case, by=cast.ib, kind="parents", place="Kamer IB",
                           starts_at=timezone.now() + dt.timedelta(days=2), agenda="",
                           staff=[cast.ib])  # fmt: skip
    url = live_server.url + reverse("cases:meeting_detail", args=[case.pk, meeting.pk])

    sign_in_page("ib")
    page.goto(url)
    expect(page.get_by_test_id("meeting-status")).to_have_text("gepland")
    expect(page.get_by_test_id("report-here")).to_contain_text("Na het gesprek schrijf je")
    with page.expect_download() as download:
        page.get_by_role("link", name="In mijn agenda (.ics)").click()
    ics = Calendar.from_ical(Path(download.value.path()).read_bytes())
    assert str(ics.walk("VEVENT")[0]["SUMMARY"]) == "Afspraak"
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    page.goto(url)
    expect(page.get_by_test_id("meeting-status")).to_have_text("verslag schrijven")
    expect(page.get_by_role("button", name="Verslag vastleggen")).to_be_visible()

    report_record(meeting=Meeting.objects.get(pk=meeting.pk), by=cast.ib, report="Besproken.",
                  reaction="Eens.", agreements=[])  # fmt: skip
    page.goto(url)
    expect(page.get_by_test_id("meeting-status")).to_have_text("verslagen")
    # The first redaction of a process loads its name lists: give it time on a busy machine.
    with page.expect_download(timeout=180_000) as download:
        page.get_by_test_id("report-print").click(timeout=180_000)
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    expect(page.get_by_role("link", name="Druk het verslag af voor de ouders")).to_be_visible()
    violations = axe_violations(page)
    assert violations == [], describe(violations)
