"""One door per read: fetch a single case for a user, or refuse without a hint."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404

from cases.access_log import access_log_write
from cases.models import AccessLog, Case, StaffSignal
from cases.services import (
    may_act,
    may_contribute,
    may_declare_emergency,
    may_manage,
    may_set_responsible,
)
from meldcode.models import User

Action = Literal["view", "act", "contribute", "manage", "responsible", "emergency"]

# What each action asks, once the case is known to be visible.
CHECKS: dict[str, Callable[[User, Case], bool]] = {
    "view": lambda user, case: True,
    "act": may_act,
    "contribute": may_contribute,
    "manage": may_manage,
    "responsible": may_set_responsible,
    "emergency": may_declare_emergency,
}


def get_case_for(user: User, pk: int, action: Action = "view") -> Case:
    """404 when `user` may not see the case (it might as well not exist), 403 when they
    may see it but not do `action`."""
    if action not in CHECKS:
        raise ValueError(f"Unknown action {action!r}")
    case = (
        Case.objects.visible_to(user)
        .select_related("school", "pupil", "responsible", "opened_by")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        access_log_write(user=user, case_id=pk, action=AccessLog.Action.DENIED)
        raise Http404
    if not CHECKS[action](user, case):
        raise PermissionDenied
    return case


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
