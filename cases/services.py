"""Every change of a case goes through a function here: lock, validate, write, mail after commit.

Who may do what is asked of `cases.access`; the matrix and terms live in `cases.matrix`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from cases.access import (
    eligible_people,
    may_act,
    may_close_departed,
    may_declare_emergency,
    may_manage,
    may_open_case,
    may_set_responsible,
    may_view,
    member_ids,
    works_at,
)
from cases.models import (
    CONTRIBUTE_PERMISSION,
    RESPONSIBLE_MANAGERS,
    VIEW_PERMISSION,
    AccessChange,
    Case,
    CaseUserObjectPermission,
    EmergencyCall,
    ResponsibleChange,
    Transition,
    is_loaded,
)
from cases.notify import mail_action_waits
from cases.workflow import (
    DEPARTURE,
    DEPARTURE_QUESTION,
    PUPIL_LEFT,
    REASON_CATEGORIES,
    TRANSITIONS,
    Step,
    check_leaving,
    is_emergency,
    reason_question,
)
from meldcode.models import Pupil, Role, User
from meldcode.request_cache import forget


def _notify_step(case: Case, step: Step, exclude: User) -> None:
    mail_action_waits(eligible_people(case, step), case.get_absolute_url(), exclude)


def _default_responsible(case: Case, step: Step, by: User) -> User | None:
    # Whoever moves a case on and may act in the new step keeps it; else the first eligible.
    people = eligible_people(case, step)
    if by in people:
        return by
    return people[0] if people else None


def case_hand_over_if_unable(*, case: Case, by: User) -> None:
    """When the responsible person may no longer act in the case's step (their access was
    removed, the matrix changed), the first eligible person takes over, on the record."""
    if not case.is_open or case.responsible is None:
        return
    people = eligible_people(case, Step(case.step))
    if case.responsible in people:
        return
    successor = people[0] if people else None
    if successor is not None:
        ResponsibleChange.objects.create(case=case, step=case.step, person=successor, by=by)
        mail_action_waits([successor], case.get_absolute_url(), exclude=by)
    case.responsible = successor
    case._history_user = by
    case.save(update_fields=["responsible"])


# --- Writes on a case ----------------------------------------------------------------


def case_open(*, pupil: Pupil, by: User, reason: str = "") -> Case:
    """Open a case in step 1 for a pupil of a school where `by` may log signals. `reason`
    is kept on the opening move (why a second case opens beside an open one)."""
    school = pupil.school
    if not may_open_case(by, school):
        raise PermissionDenied(_("You may not open a case at this school."))
    with transaction.atomic():
        case = Case.objects.create(
            school=school, pupil=pupil, step=Step.SIGNALS, opened_by=by, responsible=by
        )
        Transition.objects.create(
            case=case,
            from_step="",
            to_step=Step.SIGNALS,
            by=by,
            responsible=by,
            reason=reason.strip(),
        )
        # Seed 002: the ib'er is told at once ("altijd direct"), without any content.
        ibs = list(User.objects.filter(pk__in=member_ids(school, [Role.IB]), is_active=True))
        mail_action_waits(ibs, case.get_absolute_url(), exclude=by)
    return case


def stale_message() -> str:
    return _(
        "This case was moved to another step a moment ago (perhaps in another window). "
        "The page now shows where it stands; check whether your action is still needed."
    )


@dataclass(frozen=True)
class CallRecord:
    """One call of a noodsituatie: which service, who called it and when."""

    service: str
    called_by: User
    called_at: dt.datetime
    summary: str
    reference: str = ""
    organisation: object = None


def _check_move(current: Step, to: Step, reason: str) -> None:
    if to not in TRANSITIONS[current]:
        raise ValidationError(
            _("A case cannot move from %(from)s to %(to)s.")
            % {"from": current.label, "to": to.label},
            code="not_allowed",
        )
    question = reason_question(current, to)
    if question and not reason:
        raise ValidationError({"reason": question}, code="reason_required")


def _check_departure(case: Case, to: Step, reason: str) -> None:
    """Leerling vertrokken: any open step may close, once the pupil has left."""
    if to not in DEPARTURE.get(Step(case.step), set()):
        raise ValidationError(
            _("Only an open case closes because the pupil left."), code="not_allowed"
        )
    if case.pupil.left_on is None:
        raise ValidationError(
            _("The pupil has not left the school: record the date of leaving first."),
            code="not_departed",
        )
    if not reason:
        raise ValidationError({"reason": DEPARTURE_QUESTION}, code="reason_required")


def _check_permission(by: User, case: Case, emergency: bool, departure: bool = False) -> None:
    if departure:
        allowed = may_close_departed(by, case)
    else:
        allowed = may_declare_emergency(by, case) if emergency else may_act(by, case)
    if not allowed:
        if not may_view(by, case):
            raise PermissionDenied(_("You may not see this case."))
        raise PermissionDenied(_("You may not act in this step of the case."))


def _pick_responsible(case: Case, to: Step, by: User, responsible: User | None) -> User | None:
    if responsible is None:
        return _default_responsible(case, to, by)
    if not by.has_role(case.school, *RESPONSIBLE_MANAGERS):
        raise PermissionDenied(
            _("Only the attention officer or the directie name the responsible person.")
        )
    if responsible not in eligible_people(case, to):
        raise ValidationError(
            {"responsible": _("This person may not act in the new step.")}, code="responsible"
        )
    return responsible


def case_advance(
    *,
    case: Case,
    to: Step | str,
    by: User,
    reason: str = "",
    responsible: User | None = None,
    call: CallRecord | None = None,
    reason_category: str = "",
    calls: list[CallRecord] | None = None,
    departure: bool = False,
) -> Transition:
    """Move `case` to step `to`, as a new Transition row.

    Raises PermissionDenied when `by` may not act in the case's step, ValidationError
    when the move is not allowed, a required reason is missing, or someone else moved
    the case in the meantime. Mail goes out only once the move is committed.

    With `departure`, the case closes because the pupil left the school (leerling
    vertrokken): from any open step, by the aandachtsfunctionaris or the directie, once
    the leaving checklist is done (the checks registered for departures).
    """
    try:
        to = Step(to)
    except ValueError:
        raise ValidationError(_("Unknown step."), code="unknown_step") from None
    reason = (reason or "").strip()
    calls = [*(calls or []), *([call] if call is not None else [])]
    with transaction.atomic():
        # The lock makes a second, simultaneous move wait here and then fail the stale check.
        locked = (
            Case.objects.select_for_update(of=("self",))
            .select_related("school", "pupil")
            .get(pk=case.pk)
        )
        if locked.step != case.step:
            raise ValidationError(stale_message(), code="stale")
        current = Step(locked.step)
        emergency = not departure and (is_emergency(current, to) or bool(calls))
        _check_permission(by, locked, emergency, departure)
        if departure:
            _check_departure(locked, to, reason)
            check_leaving(locked, to, departure=True)
        else:
            _check_move(current, to, reason)
        if not emergency and not departure:
            check_leaving(locked, to)
        if calls and to != Step.REPORT:
            raise ValidationError(_("A noodsituatie always moves the case to 5b."))
        responsible = _pick_responsible(locked, to, by, responsible)
        move = Transition.objects.create(
            case=locked,
            from_step=current,
            to_step=to,
            by=by,
            reason=reason,
            reason_category=(
                PUPIL_LEFT if departure else _reason_category(current, to, reason_category)
            ),
            emergency=emergency,
            responsible=responsible,
        )
        for one in calls:
            EmergencyCall.objects.create(
                transition=move,
                service=one.service,
                called_by=one.called_by,
                called_at=one.called_at,
                summary=one.summary,
                reference=one.reference,
                organisation=one.organisation,
            )
        locked.step = to
        locked.responsible = responsible
        locked.step_entered_at = timezone.now()
        locked._history_user = by
        locked.save(update_fields=["step", "responsible", "step_entered_at"])
        _notify_step(locked, to, exclude=by)
    case.refresh_from_db()
    return move


def _reason_category(current: Step, to: Step, category: str) -> str:
    choices = REASON_CATEGORIES.get((current, to))
    if not category:
        return ""
    if choices is None or category not in choices.values:
        raise ValidationError({"reason_category": _("Choose one of the reasons.")})
    return category


EMERGENCY_RECORDED_WITHIN = dt.timedelta(days=7)


def case_declare_emergency(
    *,
    case: Case,
    by: User,
    called_by: User,
    summary: str,
    service: str = "",
    called_at: dt.datetime | None = None,
    reference: str = "",
    calls: list[dict] | None = None,
) -> Transition:
    """Noodsituatie: record the calls made now (Veilig Thuis, 112 / politie, the
    crisisdienst of the school's sociale kaart; one or more, each with its time and
    reference) and jump to 5b. One call can be given as `service`/`called_at`/`reference`."""
    if calls is None:
        calls = [{"service": service, "called_at": called_at, "reference": reference}]
    if not works_at(called_by, case.school):
        raise ValidationError({"called_by": _("Choose a colleague of this school.")})
    if not calls:
        raise ValidationError({"service": _("Say whom you called.")})
    summary = summary.strip()
    records = []
    for one in calls:
        kind, at = one.get("service", ""), one.get("called_at")
        organisation = one.get("organisation")
        if kind not in EmergencyCall.Service.values:
            raise ValidationError(
                {"service": _("Choose Veilig Thuis, 112 / police or the crisis service.")}
            )
        if at is None:
            raise ValidationError({"called_at": _("Give the time of each call.")})
        if at > timezone.now() + dt.timedelta(minutes=5):
            raise ValidationError({"called_at": _("The call cannot be in the future.")})
        # A call is recorded soon after it is made; a date long before the case is a typo.
        if at < case.opened_at - EMERGENCY_RECORDED_WITHIN:
            raise ValidationError(
                {"called_at": _("The call lies long before this case was opened: check the date.")}
            )
        if organisation is not None and (
            kind != EmergencyCall.Service.CRISIS or organisation.school_id != case.school_id
        ):
            raise ValidationError(
                {"organisation": _("Choose the crisis service from this school's sociale kaart.")}
            )
        records.append(
            CallRecord(
                service=kind,
                called_by=called_by,
                called_at=at,
                summary=summary,
                reference=(one.get("reference") or "").strip(),
                organisation=organisation,
            )
        )
    return case_advance(case=case, to=Step.REPORT, by=by, reason=summary, calls=records)


def case_set_responsible(*, case: Case, person: User, by: User) -> ResponsibleChange:
    """Name another responsible person for the step the case is in now."""
    with transaction.atomic():
        locked = (
            Case.objects.select_for_update(of=("self",)).select_related("school").get(pk=case.pk)
        )
        if not may_set_responsible(by, locked):
            if not may_view(by, locked):
                raise PermissionDenied(_("You may not see this case."))
            raise PermissionDenied(
                _("Only the attention officer or the directie name the responsible person.")
            )
        if person not in eligible_people(locked, Step(locked.step)):
            raise ValidationError(
                {"person": _("This person may not act in the current step.")}, code="responsible"
            )
        change = ResponsibleChange.objects.create(
            case=locked, step=locked.step, person=person, by=by
        )
        locked.responsible = person
        locked._history_user = by
        locked.save(update_fields=["responsible"])
        mail_action_waits([person], locked.get_absolute_url(), exclude=by)
    case.refresh_from_db()
    return change


def case_grant(*, case: Case, person: User, level: str, by: User) -> AccessChange:
    """Add a colleague of the school to a case, to read or to contribute. Takes effect at once."""
    if level not in (AccessChange.Level.READ, AccessChange.Level.CONTRIBUTE):
        raise ValidationError({"level": _("Choose read or contribute.")})
    with transaction.atomic():
        locked = (
            Case.objects.select_for_update(of=("self",)).select_related("school").get(pk=case.pk)
        )
        _check_manager(by, locked)
        if not works_at(person, locked.school):
            raise ValidationError(
                {"person": _("Only a colleague of this school can be added.")}, code="outsider"
            )
        assign_perm(VIEW_PERMISSION, person, locked)
        if level == AccessChange.Level.CONTRIBUTE:
            assign_perm(CONTRIBUTE_PERMISSION, person, locked)
        else:
            remove_perm(CONTRIBUTE_PERMISSION, person, locked)
        change = AccessChange.objects.create(case=locked, person=person, level=level, by=by)
        forget()
        mail_action_waits([person], locked.get_absolute_url(), exclude=by)
    return change


def case_revoke(*, case: Case, person: User, by: User) -> AccessChange:
    """Remove a colleague's access to a case. Takes effect at once."""
    with transaction.atomic():
        locked = (
            Case.objects.select_for_update(of=("self",)).select_related("school").get(pk=case.pk)
        )
        _check_manager(by, locked)
        if not CaseUserObjectPermission.objects.filter(content_object=locked, user=person).exists():
            raise ValidationError(
                {"person": _("This colleague was not added to the case.")}, code="not_granted"
            )
        remove_perm(VIEW_PERMISSION, person, locked)
        remove_perm(CONTRIBUTE_PERMISSION, person, locked)
        forget()
        change = AccessChange.objects.create(
            case=locked, person=person, level=AccessChange.Level.REMOVED, by=by
        )
        case_hand_over_if_unable(case=locked, by=by)
        return change


def _check_manager(by: User, case: Case) -> None:
    if not may_manage(by, case):
        if not may_view(by, case):
            raise PermissionDenied(_("You may not see this case."))
        raise PermissionDenied(
            _("Only the care coordinator, the attention officer or the directie add colleagues.")
        )


def case_grants(case: Case) -> list[tuple[User, bool]]:
    """The colleagues added to a case, each with whether they may contribute."""
    rows = (
        case.user_grants.all()
        if is_loaded(case, "user_grants")
        else case.user_grants.select_related("user", "permission")
    )
    people: dict[int, tuple[User, bool]] = {}
    for row in rows:
        user, contributes = people.get(row.user_id, (row.user, False))
        people[row.user_id] = (
            user,
            contributes or row.permission.codename == CONTRIBUTE_PERMISSION,
        )
    return sorted(people.values(), key=lambda pair: (pair[0].get_full_name(), pair[0].pk))
