"""The account of a case: each stay in a step, who moved it there and why, and who was
responsible during that stay (at entry and after every change)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, prefetch_related_objects

from cases.models import Case, EmergencyCall, Transition, is_loaded
from meldcode.models import User


@dataclass
class Stay:
    move: Transition
    calls: list[EmergencyCall] = field(default_factory=list)
    responsibles: list[tuple[User | None, dt.datetime, User]] = field(default_factory=list)
    current: bool = False


def case_history(case: Case) -> list[Stay]:
    """Oldest first. Three queries, whatever the length of the history; none for what the
    case page already loaded (cases.case_page)."""
    if is_loaded(case, "transitions"):
        moves = sorted(case.transitions.all(), key=lambda move: (move.at, move.pk))
    else:
        moves = list(case.transitions.select_related("by", "responsible").order_by("at", "pk"))
    prefetch_related_objects(
        moves,
        Prefetch(
            "emergency_calls",
            queryset=EmergencyCall.objects.select_related("called_by", "organisation").order_by(
                "called_at", "pk"
            ),
        ),
    )
    if is_loaded(case, "responsible_changes"):
        changes = sorted(case.responsible_changes.all(), key=lambda change: (change.at, change.pk))
    else:
        changes = list(case.responsible_changes.select_related("person", "by").order_by("at", "pk"))
    calls = {move.pk: list(move.emergency_calls.all()) for move in moves}
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
