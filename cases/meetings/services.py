"""Talks: plan, move or cancel (with a content-free invitation and an .ics file), report,
sign, and follow the agreements. A case leaves step 3 for step 4 only after a talk with
the parents was held and reported (skipping it, 2 to 4, keeps its required reason)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from icalendar import Calendar, Event

from cases.access import may_contribute, may_view, works_at
from cases.dossier.services import entry_add, pupil_names_in
from cases.meetings.models import (
    Agreement,
    Meeting,
    MeetingReport,
    ParentSignoff,
    StaffSignature,
)
from cases.models import Case, CaseRows, PersonRows, is_loaded
from cases.notify import mail_invitation
from cases.uploads import upload_store
from cases.workflow import Step, requires_on_leaving
from meldcode.models import User

Kind = Meeting.Kind
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DURATION = dt.timedelta(hours=1)

# Seed 001 and 003: purpose first, then the facts from the logboek, then the parents'
# reaction, only then interpretation, and agreements at the end.
AGENDAS: dict[str, str] = {
    Kind.PARENTS: gettext_lazy(
        "1. Purpose of the talk\n2. The facts from the logboek\n3. The parents' reaction\n"
        "4. Only then: interpretation\n5. Agreements: who does what, by when"
    ),
    Kind.PUPIL: gettext_lazy(
        "1. Why we talk (in the pupil's words)\n2. What we noticed\n"
        "3. What the pupil tells\n4. What happens next"
    ),
    Kind.CARE_TEAM: gettext_lazy(
        "1. Question for the zorgteam\n2. The facts from the logboek\n3. Advice\n4. Agreements"
    ),
    Kind.MDO: gettext_lazy(
        "1. Purpose (the parents are invited and get this agenda)\n2. The facts\n"
        "3. The parents' view\n4. Advice of the partners\n5. Agreements"
    ),
    Kind.CASUISTRY: gettext_lazy(
        "1. The question (anonymous unless the parents consented)\n2. The facts\n"
        "3. Advice\n4. Agreements"
    ),
}


def may_meet(user: User, case: Case) -> bool:
    """Who plans and reports talks: whoever may add to the dossier in the step now."""
    return case.is_open and may_contribute(user, case)


def _locked(case: Case, by: User) -> Case:
    locked = (
        Case.objects.select_for_update(of=("self",))
        .select_related("school", "pupil")
        .get(pk=case.pk)
    )
    if not may_view(by, locked):
        raise PermissionDenied
    if not may_meet(by, locked):
        raise PermissionDenied(_("You may not plan or report talks in this case."))
    return locked


def _check_staff(case: Case, staff: list[User]) -> None:
    outside = [person for person in staff if not works_at(person, case.school)]
    if outside:
        raise ValidationError(
            {
                "staff": _("%(names)s does not work at this school.")
                % {"names": ", ".join(p.get_full_name() for p in outside)}
            }
        )
    blind = [person for person in staff if not may_view(person, case)]
    if blind:
        raise ValidationError(
            {
                "staff": _(
                    "%(names)s may not see this case. Give them access to the case first "
                    "(Colleagues added to this case), then invite them."
                )
                % {"names": ", ".join(p.get_full_name() for p in blind)}
            }
        )


def _check_when(case: Case, starts_at: dt.datetime) -> None:
    if starts_at < case.opened_at.replace(second=0, microsecond=0) - dt.timedelta(days=1):
        raise ValidationError({"starts_at": _("The talk cannot lie before the case was opened.")})


def ics(meeting: Meeting, cancelled: bool = False, *, link: str = "") -> bytes:
    """The calendar file: a stable UID, a rising SEQUENCE, Europe/Amsterdam with its
    VTIMEZONE; no pupil, and a summary that tells a shared calendar nothing. With `link`
    (the file downloaded from the talk's page), it is published rather than sent as an
    invitation, and carries the link to the talk."""
    calendar = Calendar()
    calendar.add("prodid", "-//Meldcode//NL")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH" if link else "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", f"{meeting.uid}@meldcode")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    start = meeting.starts_at.astimezone(AMSTERDAM)
    event.add("dtstart", start)
    event.add("dtend", start + DURATION)
    # Whoever sees a colleague's calendar reads the summary: "Meldcode: talk with the
    # parents" would tell them a child is being discussed. The mail says what it is.
    event.add("summary", _("Appointment"))
    event.add("location", calendar_place(meeting))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if link:
        # Only the address: whoever opens it signs in, and sees the talk if allowed.
        event.add("url", link)
        event.add("description", link)
    calendar.add_component(event)
    # The rules of the zone for the years around the talk, so that every client places
    # it at the same hour (TZID=Europe/Amsterdam on DTSTART and DTEND refers to it).
    calendar.add_missing_timezones(
        first_date=dt.date(start.year - 1, 1, 1), last_date=dt.date(start.year + 2, 1, 1)
    )
    return calendar.to_ical()


def calendar_place(meeting: Meeting) -> str:
    """The place as calendars get it: checked again when the file is made, since a pupil
    whose name it holds may have joined the school after the talk was planned."""
    return "" if pupil_names_in(meeting.case, meeting.place) else meeting.place


def meeting_ics(*, meeting: Meeting, link: str) -> bytes:
    """The talk's calendar file for a participant's own calendar (from the talk's page)."""
    return ics(meeting, cancelled=bool(meeting.cancelled_at), link=link)


def _check_place(case: Case, place: str) -> None:
    """The place goes into the staff's calendars, outside the dossier: no pupil's name
    in it, neither of this case's pupil nor of another pupil of the school."""
    names = pupil_names_in(case, place)
    if names:
        raise ValidationError(
            {
                "place": ValidationError(
                    _(
                        "The place goes into the calendars of the staff: write it without a "
                        "pupil's name (found: %(names)s), for example the room or "
                        '"home visit".'
                    )
                    % {"names": ", ".join(names)},
                    code="pupil_name",
                )
            }
        )


def participants(meeting: Meeting) -> list[User]:
    """The staff taking part and whoever planned the talk (who may have left themselves
    out of the staff, but keeps it in their calendar)."""
    people = {person.pk: person for person in meeting.staff.all()}
    people.setdefault(meeting.created_by_id, meeting.created_by)
    return list(people.values())


def _invite(meeting: Meeting, cancelled: bool = False, moved: bool = False) -> None:
    """Everyone taking part gets the mail, the organiser too: a calendar gets the talk
    only from its invitation."""
    data = ics(meeting, cancelled)
    link = reverse("cases:meeting_detail", args=[meeting.case_id, meeting.pk])
    mail_invitation(participants(meeting), link, data, cancelled, exclude=None, moved=moved)


def meeting_plan(
    *,
    case: Case,
    by: User,
    kind: str,
    starts_at: dt.datetime,
    place: str,
    agenda: str,
    staff: list[User],
    others: str = "",
    teacher_stays_out: bool = False,
) -> Meeting:
    with transaction.atomic():
        locked = _locked(case, by)
        if kind not in Kind.values:
            raise ValidationError({"kind": _("Choose the kind of talk.")})
        _check_when(locked, starts_at)
        _check_place(locked, place)
        _check_staff(locked, staff)
        meeting = Meeting(
            case=locked,
            kind=kind,
            starts_at=starts_at,
            place=place.strip(),
            agenda=(agenda or "").strip() or str(AGENDAS[kind]),
            others=(others or "").strip(),
            teacher_stays_out=teacher_stays_out,
            created_by=by,
        )
        meeting._history_user = by
        meeting.save()
        meeting.staff.set(staff)
        _invite(meeting)
    return meeting


def meeting_move(*, meeting: Meeting, by: User, starts_at: dt.datetime, place: str) -> Meeting:
    with transaction.atomic():
        locked = _locked(meeting.case, by)
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.cancelled_at or hasattr(meeting, "report"):
            raise ValidationError(_("A held or cancelled talk cannot be moved."))
        _check_when(locked, starts_at)
        _check_place(locked, place)
        meeting.starts_at, meeting.place = starts_at, place.strip()
        meeting.sequence += 1
        meeting._history_user = by
        meeting.save()
        _invite(meeting, moved=True)
    return meeting


def meeting_cancel(*, meeting: Meeting, by: User) -> Meeting:
    with transaction.atomic():
        _locked(meeting.case, by)
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.cancelled_at or hasattr(meeting, "report"):
            raise ValidationError(_("A held or cancelled talk cannot be cancelled."))
        meeting.cancelled_at = timezone.now()
        meeting.sequence += 1
        meeting._history_user = by
        meeting.save()
        _invite(meeting, cancelled=True)
    return meeting


def report_record(
    *,
    meeting: Meeting,
    by: User,
    report: str,
    reaction: str,
    agreements: list[dict],
) -> MeetingReport:
    """The report of a held talk, with the reaction and the agreements. It appears in the
    dossier as a contact entry; remarks later are follow-up entries pointing at it."""
    report, reaction = (report or "").strip(), (reaction or "").strip()
    with transaction.atomic():
        locked = _locked(meeting.case, by)
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        errors = {}
        if meeting.cancelled_at:
            errors["report"] = _("This talk was cancelled.")
        elif MeetingReport.objects.filter(meeting=meeting).exists():
            errors["report"] = _("This talk already has its report.")
        elif meeting.starts_at > timezone.now():
            errors["report"] = _("Write the report after the talk.")
        if not report:
            errors.setdefault("report", _("Write the report."))
        if not reaction:
            errors["reaction"] = _(
                "Write down their own reaction, also where they disagree (or that they had none)."
            )
        for agreement in agreements:
            owner = agreement.get("owner")
            if owner is None or not works_at(owner, locked.school):
                errors["agreements"] = _("Each agreement has an owner at this school.")
            if not agreement.get("description") or not agreement.get("due_on"):
                errors["agreements"] = _("Each agreement says what, who and by when.")
        if errors:
            raise ValidationError(errors)
        entry = entry_add(
            case=locked,
            author=by,
            kind="contact",
            occurred_on=timezone.localdate(meeting.starts_at),
            contact_with=str(meeting.get_kind_display()),
            description=_("Report of the talk: %(report)s\n\nTheir own reaction: %(reaction)s")
            % {"report": report, "reaction": reaction},
        )
        record = MeetingReport.objects.create(
            meeting=meeting, report=report, reaction=reaction, entry=entry, by=by
        )
        for agreement in agreements:
            row = Agreement(
                report=record,
                description=agreement["description"].strip(),
                owner=agreement["owner"],
                due_on=agreement["due_on"],
            )
            row._history_user = by
            row.save()
    return record


def report_sign(*, report: MeetingReport, by: User) -> StaffSignature:
    """A staff participant signs the report in the application."""
    with transaction.atomic():
        if not may_view(by, report.meeting.case):
            raise PermissionDenied
        if not report.meeting.staff.filter(pk=by.pk).exists():
            raise PermissionDenied(_("Only the staff who took part sign the report."))
        if report.signatures.filter(user=by).exists():
            raise ValidationError(_("You already signed this report."))
        return StaffSignature.objects.create(report=report, user=by)


def parents_signoff_record(
    *, report: MeetingReport, by: User, status: str, on: dt.date, scan=None
) -> ParentSignoff:
    with transaction.atomic():
        _locked(report.meeting.case, by)
        if ParentSignoff.objects.filter(report=report).exists():
            raise ValidationError(_("The parents' sign-off is already recorded."))
        if status not in ParentSignoff.Status.values:
            raise ValidationError({"status": _("Choose signed or refused.")})
        if on > timezone.localdate() or on < timezone.localdate(report.meeting.starts_at):
            raise ValidationError({"on": _("Give a date between the talk and today.")})
        if status == ParentSignoff.Status.SIGNED and scan is None:
            raise ValidationError({"scan": _("Upload the scan of the signed report.")})
        upload = (
            upload_store(case=report.meeting.case, file=scan, by=by, field="scan") if scan else None
        )
        return ParentSignoff.objects.create(report=report, status=status, on=on, scan=upload, by=by)


def report_is_signed(report: MeetingReport) -> bool:
    """Locked: every staff participant signed. Reads through `.all()`, so the PDF and the
    case page, which prefetch staff and signatures, ask no query per talk."""
    staff = {person.pk for person in report.meeting.staff.all()}
    return bool(staff) and staff <= {signature.user_id for signature in report.signatures.all()}


def agreement_of(case: Case, agreement_id: int) -> Agreement | None:
    """An agreement of one of `case`'s talks (None for another case's: the caller's 404).
    The talk's page and Mijn acties both mark agreements done through it."""
    return Agreement.objects.filter(report__meeting__case=case, pk=agreement_id).first()


def agreement_done(*, agreement: Agreement, by: User) -> Agreement:
    with transaction.atomic():
        agreement = (
            Agreement.objects.select_for_update(of=("self",))
            .select_related("report__meeting__case")
            .get(pk=agreement.pk)
        )
        case = agreement.report.meeting.case
        if not may_view(by, case):
            raise PermissionDenied
        if by.pk != agreement.owner_id and not may_meet(by, case):
            raise PermissionDenied(_("Only the owner or who acts in the case marks it done."))
        if agreement.done_at:
            raise ValidationError(_("This agreement is already done."))
        agreement.done_at, agreement.done_by = timezone.now(), by
        agreement._history_user = by
        agreement.save(update_fields=["done_at", "done_by"])
    return agreement


def meetings_of(case: Case) -> list[Meeting]:
    """The case's talks; as the case page loaded them (with their reports), if it did."""
    if is_loaded(case, "meetings"):
        return list(case.meetings.all())
    return list(
        case.meetings.select_related("created_by")
        .prefetch_related("staff", "report__agreements__owner", "report__signatures__user")
        .order_by("starts_at", "pk")
    )


@dataclass(frozen=True, slots=True)
class WaitingAgreement:
    """An agreement as Mijn acties lists it: its own columns, its owner, its talk and its
    case (with the pupil). Agreements of one case share one `Case`, and of one owner one
    `User`: a busy aandachtsfunctionaris has over a hundred, over a few dozen cases."""

    pk: int
    description: str
    owner: User
    due_on: dt.date
    done_at: dt.datetime | None
    done_by_id: int | None
    meeting_id: int
    case: Case

    @property
    def owner_id(self) -> int:
        return self.owner.pk


def agreements_for_actions(
    user: User, *, done_since: dt.datetime | None, managed_school_ids: list[int], today: dt.date
) -> list[WaitingAgreement]:
    """In one query, for Mijn acties, in open cases `user` may see: the agreements they
    own that are not done; those they marked done since `done_since` (shown as "afgerond"
    for the rest of the day); and the open agreements of others past their date at the
    schools in `managed_school_ids` (escalation to the aandachtsfunctionaris and the
    directie). The caller tells them apart by owner and `done_at`.

    Read as narrow rows: the talk and its report are only a link, so neither is built,
    and each case, pupil and owner is built once however many agreements it has."""
    wanted = Q(owner=user, done_at__isnull=True)
    if done_since is not None:
        wanted |= Q(done_by=user, done_at__gte=done_since)
    if managed_school_ids:
        wanted |= (
            Q(done_at__isnull=True, due_on__lt=today)
            & Q(report__meeting__case__school_id__in=managed_school_ids)
            & ~Q(owner=user)
        )
    visible = Case.objects.visible_to(user).open()
    cases, owners = CaseRows("report__meeting__case__"), PersonRows()
    rows = (
        Agreement.objects.filter(wanted, report__meeting__case__in=visible)
        .order_by("due_on", "pk")
        .values_list(
            "pk",
            "description",
            "due_on",
            "done_at",
            "done_by_id",
            "report__meeting_id",
            *cases.columns,
            *owners.columns("owner__"),
        )
    )
    owner_at = 6 + len(cases.columns)
    found = []
    for row in rows:
        pk, description, due_on, done_at, done_by_id, meeting_id = row[:6]
        found.append(
            WaitingAgreement(
                pk,
                description,
                owners.person(rows.db, row, owner_at),
                due_on,
                done_at,
                done_by_id,
                meeting_id,
                cases.case(rows.db, row, 6),
            )
        )
    return found


def talks_waiting(user: User) -> list[Meeting]:
    """In one query, the talks in cases `user` may see that wait for their report or for
    `user`'s signature (with their report), marked `until_reported` and `to_sign`:

    - until reported: talks `user` takes part in or planned, not cancelled and without a
      report yet (before and after their time), in open cases;
    - to sign: reported talks `user` took part in and has not signed yet.

    The query asks two facts of each talk (whether `user` takes part, whether they
    signed its report); the marks follow from those and the talk's own columns."""
    takes_part = Meeting.staff.through.objects.filter(user=user, meeting_id=OuterRef("pk"))
    signed = StaffSignature.objects.filter(user=user, report_id=OuterRef("report__pk"))
    until_reported = (
        (Exists(takes_part) | Q(created_by=user))
        & Q(cancelled_at__isnull=True, report__isnull=True)
        & ~Q(case__step=Step.CLOSED)
    )
    to_sign = Exists(takes_part) & Q(report__isnull=False) & ~Exists(signed)
    meetings = list(
        Meeting.objects.filter(until_reported | to_sign, case__in=Case.objects.visible_to(user))
        .annotate(takes_part=Exists(takes_part), signed=Exists(signed))
        .select_related("case__pupil", "report")
        # A list of talks needs their time and kind, not their texts.
        .defer("agenda", "others", "place", "report__report", "report__reaction")
        .order_by("starts_at", "pk")
    )
    for meeting in meetings:
        reported = meeting.has_report
        meeting.until_reported = (
            (meeting.takes_part or meeting.created_by_id == user.pk)
            and meeting.cancelled_at is None
            and not reported
            and meeting.case.step != Step.CLOSED
        )
        meeting.to_sign = meeting.takes_part and reported and not meeting.signed
    return meetings


@requires_on_leaving(Step.TALK)
def check_leaving_talk(case: Case, to: Step) -> None:
    """3 to 4 only after a talk with the parents, held and reported, in this round."""
    if to != Step.WEIGH:
        return
    since = case.round_started_at() - dt.timedelta(days=1)
    if is_loaded(case, "meetings"):  # the case page loaded them with their reports
        held = any(
            meeting.kind == Kind.PARENTS and meeting.starts_at >= since and meeting.has_report
            for meeting in case.meetings.all()
        )
    else:
        held = MeetingReport.objects.filter(
            meeting__case=case, meeting__kind=Kind.PARENTS, meeting__starts_at__gte=since
        ).exists()
    if not held:
        raise ValidationError(
            _(
                "Record the talk with the parents and its report before weighing. (When a "
                "talk would endanger the child, the case goes from step 2 straight to 4, "
                "with the reason.)"
            ),
            code="talk_missing",
        )


def late_agreements(cases: QuerySet[Case], today: dt.date) -> QuerySet[Agreement]:
    """Agreements of these cases past their date and not done (the evaluation counts them)."""
    return Agreement.objects.filter(
        report__meeting__case__in=cases, done_at__isnull=True, due_on__lt=today
    )
