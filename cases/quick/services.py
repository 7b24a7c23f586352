"""Snel vastleggen: a first observation about a pupil in one save, from the start page.

It opens a case and records the observation, or adds the observation to the pupil's open
case: never a silent second case. A second case beside an open one needs a reason, kept
on its opening move. The writing itself goes through the doors that exist:
`cases.services.case_open` and `cases.dossier.services.entry_add`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.access import may_open_case, may_view
from cases.dossier.models import Entry
from cases.dossier.services import entry_add
from cases.models import Case
from cases.notify import mail_action_waits
from cases.services import case_open
from meldcode.models import Pupil, User


@dataclass(frozen=True)
class QuickRecord:
    entry: Entry
    case: Case
    opened: bool  # a new case was opened
    seen: bool  # the author may read the case the observation went to


def open_case_of(pupil: Pupil, user: User) -> Case | None:
    """The pupil's open case that an observation goes to: the newest one `user` may see,
    else the newest one at all (which `user` is never shown)."""
    open_cases = Case.objects.open().filter(pupil=pupil).order_by("-opened_at", "-pk")
    seen = Case.objects.visible_to(user).open().filter(pupil=pupil).order_by("-opened_at", "-pk")
    return seen.first() or open_cases.first()


def quick_record(
    *,
    pupil: Pupil,
    by: User,
    second_case_reason: str | None = None,
    **observation,
) -> QuickRecord:
    """Record an observation about `pupil` in one transaction.

    Without an open case for the pupil: open one in step 1 with this first observation.
    With one: the observation goes to it, unless `second_case_reason` asks for a second
    case beside it (only for someone who may see the open case; the reason is required
    and kept on the opening move). `observation`: the fields of `entry_add` for an
    observation (occurred_on, description, place, situation, others_present, signals,
    names_confirmed).

    PermissionDenied when `by` may not open a case at the pupil's school; ValidationError
    (Dutch, keyed by field) for a missing reason or a bad observation, and then nothing
    is saved.
    """
    if not may_open_case(by, pupil.school):
        raise PermissionDenied(_("You may not open a case at this school."))
    with transaction.atomic():
        # One at a time per pupil: two quick saves never open two cases side by side.
        Pupil.objects.select_for_update().filter(pk=pupil.pk).first()
        existing = open_case_of(pupil, by)
        seen = existing is not None and may_view(by, existing)
        if existing is not None and second_case_reason is not None and seen:
            if not second_case_reason.strip():
                raise ValidationError(
                    {
                        "second_case_reason": _(
                            "Say why a second case is needed beside the open one."
                        )
                    },
                    code="reason_required",
                )
            existing = None
        if existing is None:
            case = case_open(pupil=pupil, by=by, reason=second_case_reason or "")
            entry = entry_add(case=case, author=by, kind=Entry.Kind.OBSERVATION, **observation)
            return QuickRecord(entry=entry, case=case, opened=True, seen=True)
        entry = entry_add(
            case=existing,
            author=by,
            kind=Entry.Kind.OBSERVATION,
            as_signaller=True,
            **observation,
        )
        if not seen:
            _tell_the_responsible(existing, by)
        return QuickRecord(entry=entry, case=existing, opened=False, seen=seen)


def _tell_the_responsible(case: Case, by: User) -> None:
    """Whoever carries the case hears that something was added (no content), since the
    author cannot follow it up in a case they do not see."""
    if case.responsible is not None:
        mail_action_waits([case.responsible], case.get_absolute_url(), exclude=by)
