"""Who reads signals about a staff member: the board and the directie, nobody else."""

from __future__ import annotations

from django.http import Http404

from cases.staff_signals.models import StaffSignal
from meldcode.models import Role, User


def may_read_staff_signals(user) -> bool:
    return user.is_authenticated and user.holds_any(Role.BESTUUR, Role.DIRECTIE)


def get_staff_signal_for(user: User, pk: int) -> StaffSignal:
    """A staff signal, for the board and the directie only; 404 for everyone else, so
    that nobody (least of all the colleague it names) learns that it exists."""
    signal = (
        StaffSignal.visible_to(user)
        .select_related("school", "concerns", "filed_by")
        .filter(pk=pk)
        .first()
    )
    if signal is None:
        raise Http404
    return signal
