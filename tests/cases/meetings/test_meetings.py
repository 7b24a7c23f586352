"""Talks: planning with invitations, the report with reactions and agreements, sign-off,
and what step 3 needs before the weighing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from icalendar import Calendar

from cases.dossier.models import Entry
from cases.meetings.models import Meeting
from cases.meetings.services import (
    AGENDAS,
    agreement_done,
    agreements_for_actions,
    meeting_cancel,
    meeting_move,
    meeting_plan,
    parents_signoff_record,
    report_is_signed,
    report_record,
    report_sign,
)
from cases.services import case_advance, case_grant
from cases.workflow import Step
from tests.cases.uploads import pdf_file
from tests.clock import now, today


def plan(case, by, staff, when=None, **extra):
    values = {"kind": "parents", "starts_at": when or now() - dt.timedelta(hours=1),
              "place": "Kamer IB", "agenda": "", "staff": staff}  # fmt: skip
    return meeting_plan(case=case, by=by, **(values | extra))


def report(meeting, by, agreements=()):
    return report_record(
        meeting=meeting,
        by=by,
        report="Feiten besproken.",
        reaction="Vader is het oneens met de zorg.",
        agreements=list(agreements),
    )


@pytest.fixture
def step3(case_at):
    return case_at(Step.TALK)


def invitation(mail) -> Calendar:
    return Calendar.from_ical(mail.attachments[0][1])


def test_each_kind_starts_from_its_agenda(cast, step3):
    meeting = plan(step3, cast.ib, [cast.ib])
    assert meeting.agenda == str(AGENDAS["parents"])
    assert "De feiten uit het logboek" in meeting.agenda


def test_staff_get_a_content_free_invitation_with_a_calendar_file(
    cast, step3, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = plan(step3, cast.ib, [cast.ib, cast.af], when=now() + dt.timedelta(days=2))
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted([cast.ib.email, cast.af.email])
    mail = mailoutbox[0]
    ics = mail.attachments[0][1]
    for text in (mail.subject, mail.body, ics if isinstance(ics, str) else ics.decode()):
        assert step3.pupil.first_name not in text and step3.pupil.last_name not in text
    event = invitation(mail).walk("VEVENT")[0]
    assert str(event["UID"]) == f"{meeting.uid}@meldcode"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART").tzinfo.key == "Europe/Amsterdam"


def test_moving_sends_an_update_and_cancelling_a_cancel_with_the_same_uid(
    cast, step3, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = plan(step3, cast.ib, [cast.ib, cast.af], when=now() + dt.timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        meeting_move(meeting=meeting, by=cast.ib, starts_at=now() + dt.timedelta(days=3),
                     place="Teamkamer")  # fmt: skip
        meeting_cancel(meeting=meeting, by=cast.ib)
    to_af = [mail for mail in mailoutbox if mail.to == [cast.af.email]]
    moved, cancelled = (invitation(mail) for mail in to_af[-2:])
    assert moved["METHOD"] == "REQUEST" and moved.walk("VEVENT")[0]["SEQUENCE"] == 1
    assert cancelled["METHOD"] == "CANCEL" and cancelled.walk("VEVENT")[0]["SEQUENCE"] == 2
    assert {str(c.walk("VEVENT")[0]["UID"]) for c in (moved, cancelled)} == {
        f"{meeting.uid}@meldcode"
    }


def test_a_participant_who_may_not_see_the_case_is_asked_to_get_access_first(cast, step3):
    with pytest.raises(ValidationError) as refused:
        plan(step3, cast.ib, [cast.ib, cast.leerkracht_b])
    assert "staff" in refused.value.message_dict
    assert not Meeting.objects.exists()
    case_grant(case=step3, person=cast.leerkracht_b, level="read", by=cast.ib)
    assert plan(step3, cast.ib, [cast.ib, cast.leerkracht_b]).staff.count() == 2


def test_a_participant_of_another_school_is_refused(cast, step3):
    with pytest.raises(ValidationError) as refused:
        plan(step3, cast.ib, [cast.other_leerkracht])
    assert "staff" in refused.value.message_dict


def test_a_talk_dated_before_the_case_is_refused(cast, step3):
    with pytest.raises(ValidationError) as refused:
        plan(step3, cast.ib, [cast.ib], when=now() - dt.timedelta(days=30))
    assert "starts_at" in refused.value.message_dict


def test_the_teacher_may_stay_out_of_the_parent_talk(cast, step3):
    meeting = plan(step3, cast.ib, [cast.ib], teacher_stays_out=True)
    assert meeting.teacher_stays_out and cast.leerkracht not in meeting.staff.all()


def test_a_teacher_does_not_plan_talks(cast, step3):
    with pytest.raises(PermissionDenied):
        plan(step3, cast.leerkracht, [cast.leerkracht])


def test_the_report_comes_after_the_talk_with_their_own_reaction(cast, step3):
    future = plan(step3, cast.ib, [cast.ib], when=now() + dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        report(future, cast.ib)
    held = plan(step3, cast.ib, [cast.ib])
    with pytest.raises(ValidationError) as refused:
        report_record(meeting=held, by=cast.ib, report="Besproken.", reaction="", agreements=[])
    assert "reaction" in refused.value.message_dict


def test_every_report_appears_in_the_dossier(cast, step3):
    record = report(plan(step3, cast.ib, [cast.ib]), cast.ib)
    assert record.entry.kind == Entry.Kind.CONTACT
    assert "Vader is het oneens" in record.entry.description


def open_agreements_of(user):
    """The agreements `user` owns that are not done, as Mijn acties reads them (ids)."""
    rows = agreements_for_actions(user, done_since=None, managed_school_ids=[], today=today())
    return [row.pk for row in rows]


def test_agreements_have_an_owner_and_a_due_date_and_are_marked_done(cast, step3):
    record = report(
        plan(step3, cast.ib, [cast.ib]),
        cast.ib,
        [{"description": "Aanmelden wijkteam.", "owner": cast.leerkracht, "due_on": today()}],
    )
    agreement = record.agreements.get()
    assert open_agreements_of(cast.leerkracht) == [agreement.pk]
    agreement_done(agreement=agreement, by=cast.leerkracht)
    assert open_agreements_of(cast.leerkracht) == []
    with pytest.raises(ValidationError):
        agreement = {"description": "x", "owner": cast.other_leerkracht, "due_on": today()}
        report(plan(step3, cast.ib, [cast.ib]), cast.ib, [agreement])


def test_staff_participants_sign_and_then_the_report_is_locked(cast, step3):
    record = report(plan(step3, cast.ib, [cast.ib, cast.af]), cast.ib)
    with pytest.raises(PermissionDenied):
        report_sign(report=record, by=cast.directie)
    report_sign(report=record, by=cast.ib)
    assert not report_is_signed(record)
    report_sign(report=record, by=cast.af)
    assert report_is_signed(record)
    with pytest.raises(ValidationError):
        report_sign(report=record, by=cast.af)


def test_the_parents_signed_on_paper_with_the_scan_or_refused(cast, step3):
    record = report(plan(step3, cast.ib, [cast.ib]), cast.ib)
    with pytest.raises(ValidationError) as refused:
        parents_signoff_record(report=record, by=cast.ib, status="signed", on=today())
    assert "scan" in refused.value.message_dict
    signoff = parents_signoff_record(report=record, by=cast.ib, status="signed", on=today(),
                                     scan=pdf_file())  # fmt: skip
    assert signoff.scan.content_type == "application/pdf"


def test_step_3_moves_to_4_only_after_a_reported_talk_with_the_parents(cast, step3):
    with pytest.raises(ValidationError) as refused:
        case_advance(case=step3, to=Step.WEIGH, by=cast.ib)
    assert refused.value.code == "talk_missing"
    report(plan(step3, cast.ib, [cast.ib], kind="pupil"), cast.ib)
    with pytest.raises(ValidationError):
        case_advance(case=step3, to=Step.WEIGH, by=cast.ib)
    report(plan(step3, cast.ib, [cast.ib]), cast.ib)
    case_advance(case=step3, to=Step.WEIGH, by=cast.ib)
    assert step3.step == Step.WEIGH


def test_skipping_the_talk_keeps_its_required_reason(cast, case_at):
    case = case_at(Step.CONSULT)
    with pytest.raises(ValidationError):
        case_advance(case=case, to=Step.WEIGH, by=cast.ib)
    case_advance(case=case, to=Step.WEIGH, by=cast.ib, reason="Veiligheid van het kind.")
    assert case.step == Step.WEIGH


def test_the_talk_page_is_404_for_an_outsider_and_plan_page_403_for_a_teacher(
    cast, step3, client_for
):
    meeting = plan(step3, cast.ib, [cast.ib])
    detail = reverse("cases:meeting_detail", args=[step3.pk, meeting.pk])
    assert client_for(cast.other_leerkracht).get(detail).status_code == 404
    assert client_for(cast.ib).get(detail).status_code == 200
    new = reverse("cases:meeting_new", args=[step3.pk])
    assert client_for(cast.leerkracht).get(new).status_code == 403
    assert client_for(cast.ib).post(reverse("cases:meeting_sign", args=[step3.pk, meeting.pk])
                                    ).status_code == 404  # no report yet  # fmt: skip


def test_a_participant_of_another_school_gets_a_dutch_message_at_the_field(cast, step3, client_for):
    response = client_for(cast.ib).post(
        reverse("cases:meeting_new", args=[step3.pk]),
        {"kind": "parents", "starts_at": (now() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
         "place": "Kamer", "agenda": "Doel", "staff": [cast.other_leerkracht.pk]},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not Meeting.objects.exists()


# --- what a shared calendar shows ------------------------------------------------------------


def test_the_calendar_summary_says_appointment_and_nothing_of_the_meldcode(
    cast, step3, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        plan(step3, cast.ib, [cast.ib, cast.af], when=now() + dt.timedelta(days=2))
    event = invitation(mailoutbox[0]).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Afspraak"


def test_the_calendar_file_carries_the_amsterdam_timezone_its_times_refer_to(
    cast, step3, mailoutbox, django_capture_on_commit_callbacks
):
    when = dt.datetime(now().year + 1, 7, 1, 14, 30, tzinfo=dt.UTC)  # 16:30 summer time
    with django_capture_on_commit_callbacks(execute=True):
        plan(step3, cast.ib, [cast.ib, cast.af], when=when)
    calendar = invitation(mailoutbox[0])
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    event = calendar.walk("VEVENT")[0]
    raw = calendar.to_ical().decode()
    assert f"DTSTART;TZID=Europe/Amsterdam:{when.year}0701T163000" in raw
    assert f"DTEND;TZID=Europe/Amsterdam:{when.year}0701T173000" in raw
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"


@pytest.mark.parametrize(
    "place",
    ["Bij Roos thuis", "Huisbezoek familie Testhuis", "Kamer IB met Roos Testhuis"],
)
def test_a_place_naming_the_pupil_is_refused_at_the_field(cast, step3, place):
    with pytest.raises(ValidationError) as refused:
        plan(step3, cast.ib, [cast.ib], place=place)
    assert refused.value.error_dict["place"][0].code == "pupil_name"
    assert not Meeting.objects.exists()


def test_a_place_naming_another_pupil_of_the_school_is_refused_when_moving_too(cast, step3):
    from tests.factories import PupilFactory

    other = PupilFactory(school=cast.school, first_name="Sanne", last_name="Klaver")
    meeting = plan(step3, cast.ib, [cast.ib], when=now() + dt.timedelta(days=2))
    with pytest.raises(ValidationError) as refused:
        meeting_move(meeting=meeting, by=cast.ib, starts_at=now() + dt.timedelta(days=3),
                     place=f"Bij {other.first_name} {other.last_name} thuis")  # fmt: skip
    assert "Sanne Klaver" in refused.value.message_dict["place"][0]
    assert Meeting.objects.get(pk=meeting.pk).place == "Kamer IB"


def test_the_planning_form_shows_a_pupils_name_in_the_place_next_to_the_field(
    cast, step3, client_for
):
    response = client_for(cast.ib).post(
        reverse("cases:meeting_new", args=[step3.pk]),
        {"kind": "parents", "starts_at": (now() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
         "place": "Huisbezoek bij Roos", "agenda": "Doel", "staff": [cast.ib.pk]},
    )  # fmt: skip
    assert response.status_code == 200
    errors = response.content.decode().split('id="id_place_error"', 1)[1].split("</ul>", 1)[0]
    assert "zonder naam van een leerling (gevonden: Roos)" in errors
    assert not Meeting.objects.exists()


def test_marking_an_agreement_done_returns_to_the_talk_never_to_an_address_posted(
    cast, step3, client_for
):
    """No open redirect: "/\\evil.example" passes a naive "starts with one slash" check,
    and browsers read it as another site."""
    record = report(
        plan(step3, cast.ib, [cast.ib]),
        cast.ib,
        [{"description": "Aanmelden wijkteam.", "owner": cast.ib, "due_on": today()}],
    )
    agreement = record.agreements.get()
    url = reverse("cases:agreement_done", args=[step3.pk, agreement.pk])
    response = client_for(cast.ib).post(url, {"next": "/\\evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "cases:meeting_detail", args=[step3.pk, record.meeting_id]
    )


def test_the_casuistiekoverleg_is_explained_at_the_choice_not_above_every_talk(
    cast, step3, client_for
):
    text = client_for(cast.ib).get(reverse("cases:meeting_new", args=[step3.pk])).text
    kind = text.split('for="id_kind"', 1)[1].split("</div>", 1)[0]
    assert "Een casuïstiekoverleg: een overleg" in kind
    assert text.count("Een casuïstiekoverleg: een overleg") == 1
