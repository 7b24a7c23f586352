"""The account of a case: each stay in a step, who moved it there and why, and who was
responsible during that stay (at entry and after every change)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from cases.models import Case, EmergencyCall, ResponsibleChange, Transition
from meldcode.models import User


@dataclass
class Stay:
    move: Transition
    calls: list[EmergencyCall] = field(default_factory=list)
    responsibles: list[tuple[User | None, dt.datetime, User]] = field(default_factory=list)
    current: bool = False


def case_history(case: Case) -> list[Stay]:
    """Oldest first. Three queries, whatever the length of the history."""
    moves = list(case.transitions.select_related("by", "responsible").order_by("at", "pk"))
    calls: dict[int, list[EmergencyCall]] = {}
    for call in (
        EmergencyCall.objects.filter(transition__case=case)
        .select_related("called_by", "organisation")
        .order_by("called_at", "pk")
    ):
        calls.setdefault(call.transition_id, []).append(call)
    changes = list(
        ResponsibleChange.objects.filter(case=case)
        .select_related("person", "by")
        .order_by("at", "pk")
    )
    stays = [
        Stay(
            move=move,
            calls=calls.get(move.pk, []),
            responsibles=[(move.responsible, move.at, move.by)],
        )
        for move in moves
    ]
    for change in changes:
        # A change belongs to the last stay that began before it.
        owner = next((stay for stay in reversed(stays) if stay.move.at <= change.at), None)
        if owner is not None:
            owner.responsibles.append((change.person, change.at, change.by))
    if stays:
        stays[-1].current = True
    return stays
