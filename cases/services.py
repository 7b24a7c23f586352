"""Every change of a case goes through a function here: lock, validate, write, mail after commit.

The `may_*` questions live here too, so that views, templates and the dossier ask the
same door (`cases.access.get_case_for` wraps them for single cases).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from cases.models import (
    CONTRIBUTE_PERMISSION,
    DEFAULT_MATRIX,
    DEFAULT_TERMS,
    GRANT_MANAGERS,
    RESPONSIBLE_MANAGERS,
    SCHOOL_ROLES,
    SCHOOL_WIDE_ROLES,
    VIEW_PERMISSION,
    AccessChange,
    Case,
    CaseUserObjectPermission,
    EmergencyCall,
    ResponsibleChange,
    StaffSignal,
    StaffSignalAction,
    StepResponsibility,
    StepTerm,
    Transition,
)
from cases.workflow import OPEN_STEPS, TRANSITIONS, Step, is_emergency, reason_question
from meldcode.models import Membership, Pupil, Role, School, User
from meldcode.request_cache import forget, remember

# Roles a school may put in its matrix (the board never acts in the route).
MATRIX_ROLES: tuple[str, ...] = SCHOOL_ROLES
# Beside whoever may act in the current step, these may always declare a noodsituatie.
EMERGENCY_ROLES = (Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE)


# --- The responsibility matrix -------------------------------------------------------


def school_matrix(school: School) -> dict[Step, set[str]]:
    """Which roles may act in each step at this school (the default until the school edits it)."""
    rows = remember(
        ("school_matrix", school.pk),
        lambda: list(StepResponsibility.objects.filter(school=school).values_list("step", "role")),
    )
    if not rows:
        return {step: set(roles) for step, roles in DEFAULT_MATRIX.items()}
    matrix: dict[Step, set[str]] = {step: set() for step in Step}
    for step, role in rows:
        matrix[Step(step)].add(role)
    return matrix


def matrix_save(*, school: School, matrix: dict[Step, set[str]], by: User) -> None:
    """Replace the school's matrix. Only changed cells are written, so that the history
    (simple-history, with `by` as the user) shows exactly what changed."""
    if not by.has_role(school, *RESPONSIBLE_MANAGERS):
        raise PermissionDenied(_("Only the attention officer or the directie edit the matrix."))
    errors = {
        step.value: _("Choose at least one role for this step.")
        for step in Step
        if not set(matrix.get(step, set())) & set(MATRIX_ROLES)
    }
    if errors:
        raise ValidationError(errors, code="empty_step")
    wanted = {(step.value, role) for step in Step for role in matrix[step] if role in MATRIX_ROLES}
    with transaction.atomic():
        existing = {
            (row.step, row.role): row
            for row in StepResponsibility.objects.select_for_update().filter(school=school)
        }
        if not existing:
            # Until its first edit a school follows the default implicitly. Store that
            # default as it stood (bulk_create writes no history), so that the history
            # shows only what this edit changes.
            StepResponsibility.objects.bulk_create(
                StepResponsibility(school=school, step=step, role=role)
                for step, roles in DEFAULT_MATRIX.items()
                for role in roles
            )
            existing = {
                (row.step, row.role): row
                for row in StepResponsibility.objects.select_for_update().filter(school=school)
            }
        removed = existing.keys() - wanted
        for cell in removed:
            row = existing[cell]
            row._history_user = by
            row.delete()
        for step, role in sorted(wanted - existing.keys()):
            row = StepResponsibility(school=school, step=step, role=role)
            row._history_user = by
            row.save()
        forget()
        # Only a step that lost a role can leave a case with someone who may no longer act.
        narrowed = {step for step, _role in removed}
        cases = Case.objects.open().filter(school=school, step__in=narrowed)
        for case in cases.select_related("school"):
            _hand_over_if_unable(case, by)


def school_terms(school: School) -> dict[Step, int]:
    """Days a case may stay in each open step at this school before it is escalated."""
    rows = remember(
        ("school_terms", school.pk),
        lambda: dict(StepTerm.objects.filter(school=school).values_list("step", "days")),
    )
    return {step: rows.get(step.value, days) for step, days in DEFAULT_TERMS.items()}


def terms_save(*, school: School, terms: dict[Step, int], by: User) -> None:
    """Save the school's terms; only changed ones are written, so the history is exact."""
    if not by.has_role(school, *RESPONSIBLE_MANAGERS):
        raise PermissionDenied(_("Only the attention officer or the directie set the terms."))
    errors = {
        step.value: _("Choose a term from 1 to 365 days.")
        for step, days in terms.items()
        if not 1 <= days <= 365
    }
    if errors or set(terms) != set(DEFAULT_TERMS):
        raise ValidationError(errors or _("Give a term for every open step."), code="terms")
    with transaction.atomic():
        saved = {t.step: t for t in StepTerm.objects.select_for_update().filter(school=school)}
        for step, days in terms.items():
            term = saved.get(step.value)
            unchanged = term.days == days if term else DEFAULT_TERMS[step] == days
            if unchanged:
                continue
            term = term or StepTerm(school=school, step=step)
            term.days = days
            term._history_user = by
            term.save()
    forget()


def stagnating_cases(user: User, school: School) -> QuerySet[Case]:
    """The cases of `school` that `user` sees and that stay too long in their step."""
    return (
        Case.objects.visible_to(user)
        .filter(school=school)
        .stagnating(school_terms(school), timezone.now())
        .select_related("pupil", "responsible")
        .order_by("step_entered_at")
    )


# --- Who may do what -----------------------------------------------------------------


def works_at(user: User, school: School, roles: Iterable[str] = SCHOOL_ROLES) -> bool:
    return (
        user.is_authenticated
        and Membership.objects.filter(user=user, school=school, role__in=list(roles)).exists()
    )


def may_view(user: User, case: Case) -> bool:
    return user.is_authenticated and remember(
        ("may_view", user.pk, case.pk),
        lambda: Case.objects.visible_to(user).filter(pk=case.pk).exists(),
    )


def may_act(user: User, case: Case) -> bool:
    """Whether `user` may add to and move `case` in the step it is in now: their role is in
    the school's matrix for that step, and the case is theirs to act on (school-wide
    roles, the one who opened it, or a colleague added to contribute; never read-only)."""
    if not may_view(user, case):
        return False
    roles = user.roles_at(case.school)
    if not roles & school_matrix(case.school)[Step(case.step)]:
        return False
    if roles & set(SCHOOL_WIDE_ROLES) or case.opened_by_id == user.pk:
        return True
    return has_grant(user, case, CONTRIBUTE_PERMISSION)


def has_grant(user: User, case: Case, permission: str) -> bool:
    return remember(
        ("has_grant", user.pk, case.pk, permission),
        lambda: CaseUserObjectPermission.objects.filter(
            content_object=case, user=user, permission__codename=permission
        ).exists(),
    )


def may_contribute(user: User, case: Case) -> bool:
    """Whether `user` may add to the dossier: a matrix role for the current step, or a
    colleague added to the case to contribute (only while they work at the school)."""
    if may_act(user, case):
        return True
    return may_view(user, case) and has_grant(user, case, CONTRIBUTE_PERMISSION)


def may_manage(user: User, case: Case) -> bool:
    """Add and remove colleagues (ib, aandachtsfunctionaris, directie of the school)."""
    return may_view(user, case) and user.has_role(case.school, *GRANT_MANAGERS)


def may_set_responsible(user: User, case: Case) -> bool:
    return (
        case.is_open and may_view(user, case) and user.has_role(case.school, *RESPONSIBLE_MANAGERS)
    )


def may_declare_emergency(user: User, case: Case) -> bool:
    """Noodsituatie: whoever may act now, and the aandachtsfunctionaris and directie."""
    if Step(case.step) not in EMERGENCY_STEPS:
        return False
    return may_act(user, case) or (
        may_view(user, case) and user.has_role(case.school, *EMERGENCY_ROLES)
    )


def may_open_case(user: User, school: School | None) -> bool:
    if school is None or not user.is_authenticated:
        return False
    return bool(user.roles_at(school) & school_matrix(school)[Step.SIGNALS])


# A noodsituatie can be declared from any open step except 5b itself.
EMERGENCY_STEPS: frozenset[Step] = frozenset(OPEN_STEPS - {Step.REPORT})


# --- People --------------------------------------------------------------------------


def eligible_people(case: Case, step: Step) -> list[User]:
    """Everyone at the case's school whose role may act in `step` and who may see the case,
    in a stable order. Nobody is named for, or mailed about, a case they may not see."""
    school = case.school
    roles = school_matrix(school)[Step(step)]
    sees_case = (
        Q(pk__in=member_ids(school, SCHOOL_WIDE_ROLES))
        | Q(pk=case.opened_by_id)
        | Q(
            pk__in=CaseUserObjectPermission.objects.filter(
                content_object=case, permission__codename=VIEW_PERMISSION
            ).values("user_id")
        )
    )
    return list(
        User.objects.filter(is_active=True, memberships__school=school, memberships__role__in=roles)
        .filter(sees_case)
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )


def member_ids(school: School, roles: Iterable[str]) -> QuerySet:
    """The ids of the people holding one of `roles` at `school`."""
    return Membership.objects.filter(school=school, role__in=roles).values("user_id")


def colleagues(school: School) -> QuerySet[User]:
    """Everyone who works at the school (the people a case can be shared with)."""
    return (
        User.objects.filter(
            is_active=True, memberships__school=school, memberships__role__in=SCHOOL_ROLES
        )
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )


def _default_responsible(case: Case, step: Step, by: User) -> User | None:
    # Whoever moves a case on and may act in the new step keeps it; else the first eligible.
    people = eligible_people(case, step)
    if by in people:
        return by
    return people[0] if people else None


def _hand_over_if_unable(case: Case, by: User) -> None:
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
        transaction.on_commit(
            lambda: _mail_action_waits([successor], case.get_absolute_url(), exclude=by)
        )
    case.responsible = successor
    case._history_user = by
    case.save(update_fields=["responsible"])


# --- Mail ----------------------------------------------------------------------------


def _mail_action_waits(recipients: Iterable[User], link: str, exclude: User | None) -> None:
    """Tell people that an action waits. Never a pupil's name, a colleague's name or content."""
    addresses = sorted(
        {
            person.email
            for person in recipients
            if person.email and (exclude is None or person.pk != exclude.pk)
        }
    )
    if not addresses:
        return
    send_mail(
        subject=_("Meldcode: an action waits for you"),
        message=_(
            "In Meldcode an action at your school waits for you.\n\n"
            "Sign in to see it: %(link)s\n\n"
            "This e-mail deliberately contains no names or details."
        )
        % {"link": settings.SITE_URL + link},
        from_email=None,
        recipient_list=addresses,
    )


def _notify_step(case: Case, step: Step, exclude: User) -> None:
    _mail_action_waits(eligible_people(case, step), case.get_absolute_url(), exclude)


# --- Writes on a case ----------------------------------------------------------------


def case_open(*, pupil: Pupil, by: User) -> Case:
    """Open a case in step 1 for a pupil of a school where `by` may log signals."""
    school = pupil.school
    if not may_open_case(by, school):
        raise PermissionDenied(_("You may not open a case at this school."))
    with transaction.atomic():
        case = Case.objects.create(
            school=school, pupil=pupil, step=Step.SIGNALS, opened_by=by, responsible=by
        )
        Transition.objects.create(
            case=case, from_step="", to_step=Step.SIGNALS, by=by, responsible=by
        )
    return case


def stale_message() -> str:
    return _(
        "This case was moved to another step a moment ago (perhaps in another window). "
        "The page now shows where it stands; check whether your action is still needed."
    )


@dataclass(frozen=True)
class CallRecord:
    """The call of a noodsituatie: which service, who called it and when."""

    service: str
    called_by: User
    called_at: dt.datetime
    summary: str


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


def _check_permission(by: User, case: Case, emergency: bool) -> None:
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
) -> Transition:
    """Move `case` to step `to`, as a new Transition row.

    Raises PermissionDenied when `by` may not act in the case's step, ValidationError
    when the move is not allowed, a required reason is missing, or someone else moved
    the case in the meantime. Mail goes out only once the move is committed.
    """
    try:
        to = Step(to)
    except ValueError:
        raise ValidationError(_("Unknown step."), code="unknown_step") from None
    reason = (reason or "").strip()
    with transaction.atomic():
        # The lock makes a second, simultaneous move wait here and then fail the stale check.
        locked = Case.objects.select_for_update().select_related("school").get(pk=case.pk)
        if locked.step != case.step:
            raise ValidationError(stale_message(), code="stale")
        current = Step(locked.step)
        emergency = is_emergency(current, to) or call is not None
        _check_permission(by, locked, emergency)
        _check_move(current, to, reason)
        if call is not None and to != Step.REPORT:
            raise ValidationError(_("A noodsituatie always moves the case to 5b."))
        responsible = _pick_responsible(locked, to, by, responsible)
        move = Transition.objects.create(
            case=locked,
            from_step=current,
            to_step=to,
            by=by,
            reason=reason,
            emergency=emergency,
            responsible=responsible,
        )
        if call is not None:
            EmergencyCall.objects.create(
                transition=move,
                service=call.service,
                called_by=call.called_by,
                called_at=call.called_at,
                summary=call.summary,
            )
        locked.step = to
        locked.responsible = responsible
        locked.step_entered_at = timezone.now()
        locked._history_user = by
        locked.save(update_fields=["step", "responsible", "step_entered_at"])
        transaction.on_commit(lambda: _notify_step(locked, to, exclude=by))
    case.refresh_from_db()
    return move


EMERGENCY_RECORDED_WITHIN = dt.timedelta(days=7)


def case_declare_emergency(
    *,
    case: Case,
    by: User,
    service: str,
    called_by: User,
    called_at: dt.datetime,
    summary: str,
) -> Transition:
    """Noodsituatie: record the call to Veilig Thuis or 112 and jump to 5b."""
    if service not in EmergencyCall.Service.values:
        raise ValidationError({"service": _("Choose Veilig Thuis or 112.")})
    if not works_at(called_by, case.school):
        raise ValidationError({"called_by": _("Choose a colleague of this school.")})
    if called_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"called_at": _("The call cannot be in the future.")})
    # A call is recorded soon after it is made; a date long before the case is a typo.
    if called_at < case.opened_at - EMERGENCY_RECORDED_WITHIN:
        raise ValidationError(
            {"called_at": _("The call lies long before this case was opened: check the date.")}
        )
    summary = summary.strip()
    call = CallRecord(service=service, called_by=called_by, called_at=called_at, summary=summary)
    return case_advance(case=case, to=Step.REPORT, by=by, reason=summary, call=call)


def case_set_responsible(*, case: Case, person: User, by: User) -> ResponsibleChange:
    """Name another responsible person for the step the case is in now."""
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("school").get(pk=case.pk)
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
        transaction.on_commit(
            lambda: _mail_action_waits([person], locked.get_absolute_url(), exclude=by)
        )
    case.refresh_from_db()
    return change


def case_grant(*, case: Case, person: User, level: str, by: User) -> AccessChange:
    """Add a colleague of the school to a case, to read or to contribute. Takes effect at once."""
    if level not in (AccessChange.Level.READ, AccessChange.Level.CONTRIBUTE):
        raise ValidationError({"level": _("Choose read or contribute.")})
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("school").get(pk=case.pk)
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
        transaction.on_commit(
            lambda: _mail_action_waits([person], locked.get_absolute_url(), exclude=by)
        )
    return change


def case_revoke(*, case: Case, person: User, by: User) -> AccessChange:
    """Remove a colleague's access to a case. Takes effect at once."""
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("school").get(pk=case.pk)
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
        _hand_over_if_unable(locked, by)
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
    rows = CaseUserObjectPermission.objects.filter(content_object=case).select_related(
        "user", "permission"
    )
    people: dict[int, tuple[User, bool]] = {}
    for row in rows:
        user, contributes = people.get(row.user_id, (row.user, False))
        people[row.user_id] = (
            user,
            contributes or row.permission.codename == CONTRIBUTE_PERMISSION,
        )
    return sorted(people.values(), key=lambda pair: (pair[0].get_full_name(), pair[0].pk))


# --- Signals about a staff member ----------------------------------------------------


def staff_signal_readers(signal: StaffSignal) -> QuerySet[User]:
    """The board of the school and its directie, without the colleague it concerns."""
    board = Q(memberships__role=Role.BESTUUR, memberships__board_id=signal.school.board_id)
    directie = Q(memberships__role=Role.DIRECTIE, memberships__school=signal.school)
    return (
        User.objects.filter(board | directie, is_active=True)
        .exclude(pk=signal.concerns_id)
        .distinct()
    )


def staff_signal_file(*, school: School, concerns: User, description: str, by: User) -> StaffSignal:
    """File a signal about a colleague. Anyone who works at the school may do so."""
    if not works_at(by, school):
        raise PermissionDenied(_("You do not work at this school."))
    if concerns == by:
        raise ValidationError({"concerns": _("A signal is about a colleague, not yourself.")})
    if not works_at(concerns, school):
        raise ValidationError({"concerns": _("Choose a colleague of this school.")})
    description = description.strip()
    if not description:
        raise ValidationError({"description": _("Describe what you saw or heard.")})
    with transaction.atomic():
        signal = StaffSignal.objects.create(
            school=school, concerns=concerns, filed_by=by, description=description
        )
        link = reverse("cases:staff_signal_detail", args=[signal.pk])
        transaction.on_commit(
            lambda: _mail_action_waits(list(staff_signal_readers(signal)), link, exclude=by)
        )
    return signal


def staff_signal_record_action(
    *, signal: StaffSignal, kind: str, note: str, by: User
) -> StaffSignalAction:
    """Record what was done with a staff signal (talk, report, aangifte considered, ...)."""
    if not StaffSignal.visible_to(by).filter(pk=signal.pk).exists():
        raise PermissionDenied
    if kind not in StaffSignalAction.Kind.values:
        raise ValidationError({"kind": _("Choose what was done.")})
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Write down what was done and decided.")})
    return StaffSignalAction.objects.create(signal=signal, kind=kind, note=note, by=by)
