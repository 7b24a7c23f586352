"""The talk in the staff's calendars: the organiser is invited too, an update says it is
an update, and the talk page offers its calendar file to whoever may see the talk."""

import datetime as dt

import pytest
from django.urls import reverse
from icalendar import Calendar

from cases.access_log import AccessLog
from cases.meetings.models import Meeting
from cases.meetings.services import meeting_cancel, meeting_move, meeting_plan
from cases.workflow import Step
from tests.clock import now
from tests.factories import PupilFactory


def plan(case, by, staff, when=None, **extra):
    values = {"kind": "parents", "starts_at": when or now() + dt.timedelta(days=2),
              "place": "Kamer IB", "agenda": "", "staff": staff}  # fmt: skip
    return meeting_plan(case=case, by=by, **(values | extra))


@pytest.fixture
def step3(case_at):
    return case_at(Step.TALK)


def ics_url(meeting):
    return reverse("cases:meeting_ics", args=[meeting.case_id, meeting.pk])


def test_the_organiser_gets_the_invitation_too(
    cast, step3, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        plan(step3, cast.ib, [cast.ib, cast.af])
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted([cast.ib.email, cast.af.email])
    mine = next(mail for mail in mailoutbox if mail.to == [cast.ib.email])
    assert mine.subject == "Meldcode: uitnodiging voor een gesprek"
    assert Calendar.from_ical(mine.attachments[0][1]).walk("VEVENT")[0]["SUMMARY"] == "Afspraak"


def test_an_organiser_who_left_themselves_out_of_the_staff_is_invited_too(
    cast, step3, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        plan(step3, cast.ib, [cast.af])
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted([cast.ib.email, cast.af.email])


def test_an_update_is_not_called_an_invitation(
    cast, step3, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = plan(step3, cast.ib, [cast.ib, cast.af])
    with django_capture_on_commit_callbacks(execute=True):
        meeting_move(meeting=meeting, by=cast.ib, starts_at=now() + dt.timedelta(days=3),
                     place="Teamkamer")  # fmt: skip
    assert {mail.to[0] for mail in mailoutbox} == {cast.ib.email, cast.af.email}
    for mail in mailoutbox:
        assert "uitnodiging" not in (mail.subject + mail.body).lower()
        assert mail.subject == "Meldcode: een gesprek is verzet"
        assert mail.attachments[0][0] == "afspraak.ics"
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_cancel(meeting=meeting, by=cast.ib)
    assert {mail.subject for mail in mailoutbox} == {"Meldcode: een gesprek is afgezegd"}


def test_the_calendar_file_holds_an_appointment_its_time_place_and_link_and_nothing_else(
    cast, step3, client_for
):
    when = dt.datetime(now().year + 1, 7, 1, 14, 30, tzinfo=dt.UTC)  # 16:30 summer time
    meeting = plan(step3, cast.ib, [cast.ib, cast.af], when=when, place="Teamkamer")
    response = client_for(cast.af).get(ics_url(meeting))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"] == 'attachment; filename="afspraak.ics"'
    assert response["Cache-Control"] == "no-store"
    raw = response.content.decode()
    for name in (step3.pupil.first_name, step3.pupil.last_name, "Meldcode:", "ouders"):
        assert name not in raw
    calendar = Calendar.from_ical(response.content)
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    event = calendar.walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Afspraak"
    assert str(event["LOCATION"]) == "Teamkamer"
    assert str(event["UID"]) == f"{meeting.uid}@meldcode"
    assert f"DTSTART;TZID=Europe/Amsterdam:{when.year}0701T163000" in raw
    assert str(event["URL"]).endswith(reverse("cases:meeting_detail", args=[step3.pk, meeting.pk]))
    assert "DESCRIPTION" in event and not event.get("ATTENDEE")


def test_the_calendar_file_leaves_out_a_place_that_now_names_a_pupil(cast, step3, client_for):
    meeting = plan(step3, cast.ib, [cast.ib], place="Huisbezoek bij Mees")
    PupilFactory(school=cast.school, first_name="Mees", last_name="Klaproos")  # joined later
    event = Calendar.from_ical(client_for(cast.ib).get(ics_url(meeting)).content).walk("VEVENT")[0]
    assert "Mees" not in str(event.get("LOCATION", ""))


def test_the_calendar_file_is_404_for_an_outsider_and_405_for_a_post(cast, step3, client_for):
    meeting = plan(step3, cast.ib, [cast.ib])
    for person in (cast.other_leerkracht, cast.leerkracht_b, cast.outsider, cast.bestuur):
        assert client_for(person).get(ics_url(meeting)).status_code == 404
    assert client_for(cast.ib).post(ics_url(meeting)).status_code == 405
    assert client_for(cast.ib).get(ics_url(meeting)).status_code == 200


def test_downloading_the_calendar_file_is_logged_as_a_read(cast, step3, client_for):
    meeting = plan(step3, cast.ib, [cast.ib])
    before = AccessLog.objects.filter(case_id=step3.pk).count()
    client_for(cast.ib).get(ics_url(meeting))
    rows = AccessLog.objects.filter(case_id=step3.pk).order_by("pk")[before:]
    assert [(row.user_id, row.action) for row in rows] == [(cast.ib.pk, AccessLog.Action.VIEW)]


def test_a_cancelled_talk_downloads_as_cancelled(cast, step3, client_for):
    meeting = plan(step3, cast.ib, [cast.ib])
    meeting_cancel(meeting=meeting, by=cast.ib)
    calendar = Calendar.from_ical(client_for(cast.ib).get(ics_url(meeting)).content)
    assert calendar.walk("VEVENT")[0]["STATUS"] == "CANCELLED"


def test_the_talk_page_links_its_calendar_file(cast, step3, client_for):
    meeting = plan(step3, cast.ib, [cast.ib])
    page = client_for(cast.ib).get(reverse("cases:meeting_detail", args=[step3.pk, meeting.pk]))
    assert ics_url(meeting) in page.content.decode()
    assert "In mijn agenda (.ics)" in page.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).sequence == 0  # a download changes nothing
