"""A pupil who leaves the school during or shortly after a case (DOMAIN.md; seeds 000,
003 and 004 count a family leaving as a signal in itself).

When a pupil has a date of leaving (from the import's `uitschrijfdatum`, or set by hand by
the aandachtsfunctionaris or the directie) and a case that is open, or closed within the
school's retention term before leaving, the aandachtsfunctionaris works through a
checklist, each item recorded in the dossier (append-only, sealed):

- the parents are informed;
- whether a report to Veilig Thuis is needed now that the family leaves, weighed and
  recorded (with the day of the report when it is);
- a warm handover to the receiving school's ib'er or aandachtsfunctionaris: which school,
  with whom, when, what was shared, and on which ground (the parents' consent, or
  through Veilig Thuis);
- the line for the onderwijskundig rapport, without content.

No case of such a pupil closes before the checklist is done; an open one may then close
from any step with "leerling vertrokken" (`case_close_departed`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import may_view
from cases.leaving.models import ContactRole, HandoverGround, Item, LeavingRecord
from cases.models import RESPONSIBLE_MANAGERS, Case, Transition
from cases.workflow import OPEN_STEPS, Step, requires_on_leaving
from meldcode.models import Role, User
from meldcode.workdays import add_working_days

# The line for the onderwijskundig rapport: that there is care, and whom to call. Content
# of a Dutch document the school copies, so kept in Dutch as data.
RAPPORT_LINE = "Er is zorg; neem contact op met de aandachtsfunctionaris van {school}."


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def leaving_applies(case: Case) -> bool:
    """Whether the case asks for the leaving checklist: its pupil has a date of leaving,
    and the case is open or was closed within the school's retention term before it."""
    left_on = case.pupil.left_on
    if left_on is None:
        return False
    if case.is_open:
        return True
    closed_on = timezone.localdate(case.step_entered_at)
    return _add_years(closed_on, case.school.retention_years) >= left_on


def leaving_due(case: Case) -> dt.date | None:
    """The checklist is due a week (five working days) after the day of leaving: the
    receiving school should not start blind."""
    left_on = case.pupil.left_on
    return add_working_days(left_on, 5) if left_on else None


@dataclass(frozen=True)
class Checklist:
    left_on: dt.date | None
    records: dict[str, LeavingRecord | None]
    due: dt.date | None

    @property
    def done(self) -> bool:
        return all(self.records.values())

    @property
    def missing(self) -> list[str]:
        return [str(Item(item).label) for item, record in self.records.items() if not record]

    def rows(self) -> list[tuple[Item, LeavingRecord | None]]:
        return [(Item(item), record) for item, record in self.records.items()]


def _checklist(case: Case, records) -> Checklist:
    latest: dict[str, LeavingRecord | None] = {item: None for item in Item.values}
    for record in sorted(records, key=lambda r: (r.at, r.pk)):
        latest[record.item] = record
    return Checklist(left_on=case.pupil.left_on, records=latest, due=leaving_due(case))


def leaving_checklist(case: Case) -> Checklist:
    return _checklist(case, case.leaving_records.select_related("by"))


def may_record_leaving(user: User, case: Case) -> bool:
    """The aandachtsfunctionaris (and the directie) of the school, once the pupil left."""
    return (
        may_view(user, case)
        and user.has_role(case.school, *RESPONSIBLE_MANAGERS)
        and leaving_applies(case)
    )


def rapport_line(case: Case) -> str:
    return RAPPORT_LINE.format(school=case.school.name)


def leaving_record(
    *,
    case: Case,
    by: User,
    item: str,
    occurred_on: dt.date | None = None,
    note: str = "",
    report_needed: bool | None = None,
    reported_on: dt.date | None = None,
    receiving_school: str = "",
    contact_name: str = "",
    contact_role: str = "",
    ground: str = "",
) -> LeavingRecord:
    """Record one item of the leaving checklist (see the module)."""
    if item not in Item.values:
        raise ValidationError({"item": _("Choose an item of the checklist.")})
    with transaction.atomic():
        locked = (
            Case.objects.select_for_update(of=("self",))
            .select_related("school", "pupil")
            .get(pk=case.pk)
        )
        if not may_view(by, locked):
            raise PermissionDenied(_("You may not see this case."))
        if not locked.pupil.left_on:
            raise ValidationError(_("The pupil has no date of leaving."), code="not_departed")
        if not may_record_leaving(by, locked):
            raise PermissionDenied(
                _("The attention officer or the directie works through the leaving checklist.")
            )
        today = timezone.localdate()
        occurred_on = occurred_on or today
        errors: dict[str, str] = {}
        if occurred_on > today:
            errors["occurred_on"] = _("The date cannot be in the future.")
        note = (note or "").strip()
        fields: dict = {}
        if item == Item.RAPPORT:
            note = rapport_line(locked)
        elif not note:
            errors["note"] = {
                Item.PARENTS: _("How were the parents informed, and how did they react?"),
                Item.VEILIG_THUIS: _("Why is a report needed now, or why not?"),
                Item.HANDOVER: _("What was shared with the receiving school?"),
            }[Item(item)]
        if item == Item.VEILIG_THUIS:
            if report_needed is None:
                errors["report_needed"] = _("Is a report to Veilig Thuis needed now?")
            elif report_needed and reported_on is None:
                errors["reported_on"] = _("On which day was the report made?")
            elif report_needed and reported_on > today:
                errors["reported_on"] = _("The date cannot be in the future.")
            fields = {
                "report_needed": report_needed,
                "reported_on": reported_on if report_needed else None,
            }
        if item == Item.HANDOVER:
            receiving_school = " ".join((receiving_school or "").split())
            contact_name = " ".join((contact_name or "").split())
            if not receiving_school:
                errors["receiving_school"] = _("Which school does the pupil go to?")
            if not contact_name:
                errors["contact_name"] = _("With whom at that school?")
            if contact_role not in ContactRole.values:
                errors["contact_role"] = _("The ib'er or the aandachtsfunctionaris there?")
            if ground not in HandoverGround.values:
                errors["ground"] = _(
                    "On which ground: the parents' consent, or through Veilig Thuis?"
                )
            fields = {
                "receiving_school": receiving_school,
                "contact_name": contact_name,
                "contact_role": contact_role,
                "ground": ground,
            }
        if errors:
            raise ValidationError(errors)
        return LeavingRecord.objects.create(
            case=locked, item=item, occurred_on=occurred_on, note=note, by=by, **fields
        )


def case_close_departed(*, case: Case, by: User, reason: str) -> Transition:
    """Leerling vertrokken: close an open case of a pupil who left, from any step, once the
    checklist is done."""
    from cases.services import case_advance

    return case_advance(case=case, to=Step.CLOSED, by=by, reason=reason, departure=True)


def _check_checklist(case: Case, to: Step) -> None:
    """No case of a pupil who left closes before the leaving checklist is done."""
    if to != Step.CLOSED or not leaving_applies(case):
        return
    checklist = leaving_checklist(case)
    if not checklist.done:
        raise ValidationError(
            _("The pupil left the school: first complete the leaving checklist (%(missing)s).")
            % {"missing": ", ".join(checklist.missing)},
            code="leaving_checklist",
        )


for _step in OPEN_STEPS:
    requires_on_leaving(_step, departure=True)(_check_checklist)


@dataclass(frozen=True)
class LeavingDue:
    case: Case
    due: dt.date | None


def leaving_cases(user: User, school_ids: list[int]) -> QuerySet[Case]:
    """The cases at these schools that `user` may see whose pupil left."""
    return Case.objects.visible_to(user).filter(
        school_id__in=school_ids, pupil__left_on__isnull=False
    )


def leaving_checklists_due(user: User, school_ids: list[int]) -> list[LeavingDue]:
    """For the aandachtsfunctionaris's Mijn acties: the cases at these schools whose pupil
    left and whose checklist is not done. Two queries, however many cases."""
    if not school_ids:
        return []
    cases = list(leaving_cases(user, school_ids).select_related("pupil", "school").order_by("pk"))
    cases = [case for case in cases if leaving_applies(case)]
    done: dict[int, set[str]] = {}
    rows = LeavingRecord.objects.filter(case__in=[case.pk for case in cases]).values_list(
        "case_id", "item"
    )
    for case_id, item in rows:
        done.setdefault(case_id, set()).add(item)
    return [
        LeavingDue(case, leaving_due(case))
        for case in cases
        if done.get(case.pk, set()) != set(Item.values)
    ]


def attention_officer_school_ids(roles: dict[int, set[str]]) -> list[int]:
    return [sid for sid, held in roles.items() if Role.AANDACHTSFUNCTIONARIS in held]
