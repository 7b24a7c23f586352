"""Every change of a case goes through here: lock, validate, write a row, mail after commit."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import DEFAULT_MATRIX, Case, StepResponsibility, Transition
from cases.workflow import TRANSITIONS, Step, is_emergency, reason_question
from meldcode.models import Pupil, School, User


def school_matrix(school: School) -> dict[Step, set[str]]:
    """Which roles may act in each step at this school (the default until the school edits it)."""
    rows = list(StepResponsibility.objects.filter(school=school).values_list("step", "role"))
    if not rows:
        return {step: set(roles) for step, roles in DEFAULT_MATRIX.items()}
    matrix: dict[Step, set[str]] = {step: set() for step in Step}
    for step, role in rows:
        matrix[Step(step)].add(role)
    return matrix


def may_act(user: User, case: Case) -> bool:
    """Whether `user` may add to and move `case` in the step it is in now."""
    if not user.is_authenticated or not Case.objects.visible_to(user).filter(pk=case.pk).exists():
        return False
    allowed = school_matrix(case.school)[Step(case.step)]
    return bool(user.roles_at(case.school) & allowed)


def eligible_people(school: School, step: Step) -> list[User]:
    """Everyone at the school whose role may act in `step`, in a stable order."""
    roles = school_matrix(school)[Step(step)]
    return list(
        User.objects.filter(
            is_active=True,
            memberships__school=school,
            memberships__role__in=roles,
        )
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )


def _default_responsible(case: Case, step: Step, by: User) -> User | None:
    people = eligible_people(case.school, step)
    if by in people:
        return by
    return people[0] if people else None


def _notify(case: Case, step: Step, exclude: User) -> None:
    """Tell whoever may act now that an action waits. Never a pupil's name or any content."""
    recipients = [
        person.email
        for person in eligible_people(case.school, step)
        if person.email and person.pk != exclude.pk
    ]
    if not recipients:
        return
    link = settings.SITE_URL + reverse("cases:detail", args=[case.pk])
    send_mail(
        subject=_("Meldcode: an action waits for you"),
        message=_(
            "In Meldcode an action in a case at your school waits for you.\n\n"
            "Sign in to see it: %(link)s\n\n"
            "This e-mail deliberately contains no names or details."
        )
        % {"link": link},
        from_email=None,
        recipient_list=recipients,
    )


def case_open(*, pupil: Pupil, by: User) -> Case:
    """Open a case in step 1 for a pupil of a school where `by` may log signals."""
    school = pupil.school
    if not by.roles_at(school) & school_matrix(school)[Step.SIGNALS]:
        raise PermissionDenied(_("You may not open a case at this school."))
    with transaction.atomic():
        case = Case.objects.create(
            school=school, pupil=pupil, step=Step.SIGNALS, opened_by=by, responsible=by
        )
        Transition.objects.create(
            case=case, from_step="", to_step=Step.SIGNALS, by=by, responsible=by
        )
    return case


def case_advance(
    *, case: Case, to: Step | str, by: User, reason: str = "", responsible: User | None = None
) -> Transition:
    """Move `case` to step `to`.

    Raises PermissionDenied when `by` may not act in the case's step, ValidationError
    when the move is not allowed, a required reason is missing, or someone else moved
    the case in the meantime.
    """
    try:
        to = Step(to)
    except ValueError:
        raise ValidationError(_("Unknown step."), code="unknown_step") from None
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("school").get(pk=case.pk)
        if locked.step != case.step:
            raise ValidationError(
                _(
                    "Someone else moved this case to another step a moment ago. "
                    "Reload the page to see where it stands."
                ),
                code="stale",
            )
        if not may_act(by, locked):
            raise PermissionDenied(_("You may not act in this step of the case."))
        current = Step(locked.step)
        if to not in TRANSITIONS[current]:
            raise ValidationError(
                _("A case cannot move from %(from)s to %(to)s.")
                % {"from": current.label, "to": to.label},
                code="not_allowed",
            )
        question = reason_question(current, to)
        if question and not reason:
            raise ValidationError({"reason": question}, code="reason_required")
        if responsible is None:
            responsible = _default_responsible(locked, to, by)
        elif responsible not in eligible_people(locked.school, to):
            raise ValidationError(
                {"responsible": _("This person may not act in the new step.")}, code="responsible"
            )
        move = Transition.objects.create(
            case=locked,
            from_step=current,
            to_step=to,
            by=by,
            reason=reason,
            emergency=is_emergency(current, to),
            responsible=responsible,
        )
        locked.step = to
        locked.responsible = responsible
        locked.step_entered_at = timezone.now()
        locked.save(update_fields=["step", "responsible", "step_entered_at"])
        transaction.on_commit(lambda: _notify(locked, to, exclude=by))
    case.refresh_from_db()
    return move
