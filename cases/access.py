"""One door per read: fetch a single case for a user, or refuse without a hint."""

from __future__ import annotations

from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404

from cases.access_log import access_log_write
from cases.models import AccessLog, Case
from cases.services import may_act

Action = Literal["view", "act"]


def get_case_for(user, pk: int, action: Action = "view") -> Case:
    """404 when `user` may not see the case (it might as well not exist), 403 when they
    may see it but not do `action`."""
    case = (
        Case.objects.visible_to(user)
        .select_related("school", "pupil", "responsible", "opened_by")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        access_log_write(user=user, case_id=pk, action=AccessLog.Action.DENIED)
        raise Http404
    if action == "act" and not may_act(user, case):
        raise PermissionDenied
    return case
