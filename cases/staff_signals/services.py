"""Signals about a staff member: filed by anyone at the school, read only by the board
and the directie, never by the colleague it names. The route does not apply."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import works_at
from cases.notify import mail_action_waits
from cases.staff_signals.models import StaffSignal, StaffSignalAction
from meldcode.models import Role, School, User


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
        mail_action_waits(list(staff_signal_readers(signal)), link, exclude=by)
    return signal


def staff_signal_record_action(
    *, signal: StaffSignal, kind: str, note: str, by: User, occurred_on: dt.date | None = None
) -> StaffSignalAction:
    """Record what was done with a staff signal (talk, the vertrouwensinspecteur consulted,
    aangifte considered or filed, ...), and on which day."""
    if not StaffSignal.visible_to(by).filter(pk=signal.pk).exists():
        raise PermissionDenied
    if kind not in StaffSignalAction.Kind.values:
        raise ValidationError({"kind": _("Choose what was done.")})
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Write down what was done and decided.")})
    occurred_on = occurred_on or timezone.localdate()
    if occurred_on > timezone.localdate() or occurred_on < timezone.localdate(signal.filed_at):
        raise ValidationError({"occurred_on": _("Give a date between the signal and today.")})
    return StaffSignalAction.objects.create(
        signal=signal, kind=kind, note=note, by=by, occurred_on=occurred_on
    )


def staff_signal_duties(signal: StaffSignal) -> dict[str, StaffSignalAction | None]:
    """The two duties of the board for a suspected sexual offence by a staff member (WPO
    art. 4a): consult the vertrouwensinspecteur, and file aangifte. The first time each
    was recorded, or None."""
    first = {}
    for action in signal.actions.order_by("occurred_on", "at"):
        first.setdefault(action.kind, action)
    return {
        "inspector": first.get(StaffSignalAction.Kind.CONFIDENTIAL_INSPECTOR),
        "aangifte": first.get(StaffSignalAction.Kind.AANGIFTE_FILED),
    }
