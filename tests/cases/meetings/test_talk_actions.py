"""A talk stays in its participants' Mijn acties until its report is written, and its
status follows the clock: "verslag schrijven" once it has begun without a report."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.actions.services import actions_for
from cases.meetings.models import Meeting
from cases.meetings.services import meeting_cancel, meeting_plan, report_record
from cases.workflow import Step
from tests.clock import now

MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december"]  # fmt: skip


@pytest.fixture
def step3(case_at):
    return case_at(Step.TALK)


def plan(case, by, staff, when):
    return meeting_plan(case=case, by=by, kind="parents", starts_at=when, place="Kamer IB",
                        agenda="", staff=staff)  # fmt: skip


def talk_items(user):
    return [item for item in actions_for(user) if item.kind in ("talk", "talk_report")]


def at(meeting, moment):
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=moment)
    return Meeting.objects.get(pk=meeting.pk)


def test_before_its_time_the_talk_is_in_mijn_acties_of_each_participant(cast, step3):
    when = timezone.localtime(now() + dt.timedelta(days=3)).replace(hour=14, minute=30)
    meeting = plan(step3, cast.ib, [cast.ib, cast.af], when)
    for person in (cast.ib, cast.af):
        [item] = talk_items(person)
        assert item.kind == "talk"
        assert item.what == f"Gesprek op {when.day} {MONTHS[when.month - 1]} {when.year} 14:30"
        assert item.url == reverse("cases:meeting_detail", args=[step3.pk, meeting.pk])
        assert item.due == when.date() and not item.overdue
    assert talk_items(cast.directie) == [] and talk_items(cast.leerkracht) == []


def test_the_organiser_has_the_talk_in_mijn_acties_even_when_not_on_the_staff(cast, step3):
    plan(step3, cast.ib, [cast.af], now() + dt.timedelta(days=1))
    assert [item.kind for item in talk_items(cast.ib)] == ["talk"]


def test_after_its_time_the_item_asks_for_the_report(cast, step3):
    meeting = plan(step3, cast.ib, [cast.ib, cast.af], now() + dt.timedelta(days=1))
    held = timezone.localtime(now() - dt.timedelta(hours=1))
    at(meeting, held)
    [item] = talk_items(cast.ib)
    assert item.kind == "talk_report"
    assert item.what == (
        f"Schrijf het verslag van het gesprek van {held.day} {MONTHS[held.month - 1]} {held.year}"
    )


def test_the_item_is_gone_once_the_report_is_written_or_the_talk_cancelled(cast, step3):
    held = plan(step3, cast.ib, [cast.ib, cast.af], now() - dt.timedelta(hours=2))
    upcoming = plan(step3, cast.ib, [cast.ib], now() + dt.timedelta(days=5))
    assert len(talk_items(cast.ib)) == 2
    report_record(meeting=held, by=cast.ib, report="Besproken.", reaction="Eens.", agreements=[])
    meeting_cancel(meeting=upcoming, by=cast.ib)
    assert talk_items(cast.ib) == [] and talk_items(cast.af) == []
    assert "sign" in [item.kind for item in actions_for(cast.af)]  # signing is its own item


def test_the_status_is_computed_from_the_clock_and_the_report_never_stored(cast, step3):
    meeting = plan(step3, cast.ib, [cast.ib], now() + dt.timedelta(days=1))
    assert meeting.status == Meeting.Status.PLANNED
    assert meeting.status_at(now() + dt.timedelta(days=2)) == Meeting.Status.REPORT_DUE
    meeting = at(meeting, now() - dt.timedelta(minutes=5))
    assert meeting.status == Meeting.Status.REPORT_DUE
    assert meeting.status.label == "verslag schrijven"
    report_record(meeting=meeting, by=cast.ib, report="x", reaction="y", agreements=[])
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.REPORTED
    assert not hasattr(Meeting, "status_field") and "status" not in {
        field.name for field in Meeting._meta.get_fields()
    }


def test_the_talk_page_and_the_panel_say_verslag_schrijven_after_its_time(cast, step3, client_for):
    meeting = at(plan(step3, cast.ib, [cast.ib], now() + dt.timedelta(days=1)),
                 now() - dt.timedelta(hours=1))  # fmt: skip
    client = client_for(cast.ib)
    page = client.get(reverse("cases:meeting_detail", args=[step3.pk, meeting.pk])).content.decode()
    status = page.split('data-testid="meeting-status"', 1)[1].split("</dd>", 1)[0]
    assert "verslag schrijven" in status
    case_page = client.get(step3.get_absolute_url()).content.decode()
    panel = case_page.split('data-testid="meeting"', 1)[1].split("</li>", 1)[0]
    assert "verslag schrijven" in panel and "gepland" not in panel


def test_a_planned_talk_says_plainly_that_its_report_is_written_on_this_page(
    cast, step3, client_for
):
    meeting = plan(step3, cast.ib, [cast.ib], now() + dt.timedelta(days=1))
    url = reverse("cases:meeting_detail", args=[step3.pk, meeting.pk])
    page = client_for(cast.ib).get(url).content.decode()
    assert "Na het gesprek schrijf je op deze pagina het verslag" in page
    assert "gepland" in page.split('data-testid="meeting-status"', 1)[1].split("</dd>", 1)[0]


def test_mijn_acties_asks_the_same_number_of_queries_with_talks_before_and_after_their_time(
    cast, case_at
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.cases.factories import make_case
    from tests.factories import PupilFactory

    def count(size):
        for pupil in PupilFactory.create_batch(size, school=cast.school):
            case = make_case(opened_by=cast.leerkracht, pupil=pupil, step=Step.TALK,
                             responsible=cast.ib)  # fmt: skip
            plan(case, cast.ib, [cast.ib], now() + dt.timedelta(days=1))
            at(plan(case, cast.ib, [cast.ib], now() + dt.timedelta(days=1)),
               now() - dt.timedelta(hours=1))  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            actions_for(cast.ib)
        return len(queries)

    assert count(3) == count(30)
