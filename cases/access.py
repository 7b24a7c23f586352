"""Who may see and do what, and one door per read: fetch a single case for a user, or
refuse without a hint. The `may_*` questions live here so that views, templates and every
part of a case ask the same door."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cache, cached_property, wraps
from types import MappingProxyType
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from cases.access_log import (
    AccessLog,
    access_log_deny,
    access_log_write,
    case_fetched,
    case_reads,
)
from cases.matrix import matrix_cells, matrix_read, school_matrix
from cases.models import (
    CONTRIBUTE_PERMISSION,
    GRANT_MANAGERS,
    RESPONSIBLE_MANAGERS,
    SCHOOL_ROLES,
    SCHOOL_WIDE_ROLES,
    VIEW_PERMISSION,
    Case,
    CaseUserObjectPermission,
    is_loaded,
)
from cases.workflow import OPEN_STEPS, Step
from meldcode.models import Membership, Role, School, User
from meldcode.request_cache import remember

# Beside whoever may act in the current step, these may always declare a noodsituatie.
EMERGENCY_ROLES = (Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE)


# --- Who may do what -----------------------------------------------------------------


def works_at(user: User, school: School, roles: Iterable[str] = SCHOOL_ROLES) -> bool:
    if not user.is_authenticated:
        return False
    wanted = set(roles)
    return any(
        school_id == school.pk and role in wanted for school_id, _board, role in user.held_roles()
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
    if is_loaded(case, "user_grants"):  # the case page loaded them, with their permission
        return any(
            row.user_id == user.pk and row.permission.codename == permission
            for row in case.user_grants.all()
        )
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


def may_keep_logboek(user: User, case: Case) -> bool:
    """The logboek is the teacher's (seed 002): whoever opened the case, and a colleague
    added to contribute, keep writing down what they see in every open step. Adding an
    observation is not acting in the step; moving the case stays with the matrix."""
    if not case.is_open or not may_view(user, case):
        return False
    return case.opened_by_id == user.pk or has_grant(user, case, CONTRIBUTE_PERMISSION)


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


def may_close_departed(user: User, case: Case) -> bool:
    """Leerling vertrokken: the aandachtsfunctionaris and the directie close an open case
    of a pupil who left, whatever step it is in (cases.leaving)."""
    return (
        case.is_open and may_view(user, case) and user.has_role(case.school, *RESPONSIBLE_MANAGERS)
    )


def may_open_case(user: User, school: School | None) -> bool:
    if school is None or not user.is_authenticated:
        return False
    return bool(user.roles_at(school) & school_matrix(school)[Step.SIGNALS])


def may_log_signal(user: User, case: Case) -> bool:
    """Whoever may open a case for a pupil may instead add an observation to that pupil's
    open case, also without seeing it (Snel vastleggen): never a silent second case. It
    is a write only: it gives no right to read the dossier."""
    return case.is_open and may_open_case(user, case.school)


# A noodsituatie can be declared from any open step except 5b itself.
EMERGENCY_STEPS: frozenset[Step] = frozenset(OPEN_STEPS - {Step.REPORT})


# --- People --------------------------------------------------------------------------


class CasePeople:
    """Whom a case's forms name or choose: who works at the case's school (with their roles
    there) and who was added to the case. Each is read once, when first asked, so that a
    page with several such forms (the case page's moves, the responsible person, a
    colleague to add, who called in a noodsituatie) asks the database once, not per form."""

    def __init__(self, case: Case) -> None:
        self.case = case

    @cached_property
    def staff(self) -> list[tuple[User, frozenset[str]]]:
        """Everyone active who works at the school, with their roles there, in name order."""
        roles: dict[int, set[str]] = {}
        people: dict[int, User] = {}
        for membership in (
            Membership.objects.filter(
                school=self.case.school, role__in=SCHOOL_ROLES, user__is_active=True
            )
            .select_related("user")
            .order_by("user__first_name", "user__last_name", "user_id")
        ):
            people.setdefault(membership.user_id, membership.user)
            roles.setdefault(membership.user_id, set()).add(membership.role)
        return [(person, frozenset(roles[pk])) for pk, person in people.items()]

    @cached_property
    def added(self) -> set[int]:
        """The ids of the colleagues added to the case (to read, or also to contribute)."""
        if is_loaded(self.case, "user_grants"):
            return {
                row.user_id
                for row in self.case.user_grants.all()
                if row.permission.codename == VIEW_PERMISSION
            }
        return set(
            CaseUserObjectPermission.objects.filter(
                content_object=self.case, permission__codename=VIEW_PERMISSION
            ).values_list("user_id", flat=True)
        )

    def colleagues(self) -> list[User]:
        """Everyone who works at the school (as `colleagues`)."""
        return [person for person, _roles in self.staff]

    def eligible(self, step: Step) -> list[User]:
        """Everyone at the school whose role may act in `step` and who may see the case,
        in a stable order. Nobody is named for, or mailed about, a case they may not see."""
        acting = school_matrix(self.case.school)[Step(step)]
        wide = set(SCHOOL_WIDE_ROLES)
        return [
            person
            for person, roles in self.staff
            if roles & acting
            and (roles & wide or person.pk == self.case.opened_by_id or person.pk in self.added)
        ]


def eligible_people(case: Case, step: Step) -> list[User]:
    """Everyone at the case's school whose role may act in `step` and who may see the case,
    in a stable order (see `CasePeople.eligible`)."""
    return CasePeople(case).eligible(step)


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


# --- One door per read ---------------------------------------------------------------


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


@cache
def _read_with_case() -> Mapping:
    """What every case is read with at the door: its school's responsibility matrix (what
    each role may do in each step), which the checks and the pages ask, so without a
    query of its own. Built once: a query resolves a copy of the expression."""
    return MappingProxyType({"school_matrix_cells": matrix_cells()})


def get_case_for(
    user: User, pk: int, action: Action = "view", *, annotate: Mapping | None = None
) -> Case:
    """404 when `user` may not see the case (it might as well not exist), 403 when they
    may see it but not do `action`. `annotate`: what else to read with the case, in the
    same query (the case page asks which records the case holds)."""
    if action not in CHECKS:
        raise ValueError(f"Unknown action {action!r}")
    case = (
        Case.objects.visible_to(user)
        .select_related("school", "pupil", "responsible", "opened_by")
        .annotate(**_read_with_case(), **(annotate or {}))
        .filter(pk=pk)
        .first()
    )
    if case is None:
        access_log_deny(user=user, case_id=pk)
        raise Http404
    # The checks below and the page ask the school's matrix: read with the case.
    matrix_read(case.school, case.school_matrix_cells)
    # Fetched through `visible_to`: the answer to "may they see it?" is known for this request.
    remember(("may_view", user.pk, case.pk), lambda: True)
    if not CHECKS[action](user, case):
        raise PermissionDenied
    case_fetched(case)
    return case


def reads_case(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The door for every view that shows a case: when the view answers with a page (200),
    each case it fetched through `get_case_for` gets exactly one access-log row, unless
    the view already wrote one for it (a download, an export). A redirect, a refusal or
    an error shows nothing and logs nothing here (a 404 logged its own denied row).

    Views wear it instead of remembering to log; tests/cases/test_read_log_door.py
    asks every URL of a case and fails on a page that shows a case without a row."""

    @wraps(view)
    def door(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        with case_reads() as reads:
            response = view(request, *args, **kwargs)
            if response.status_code == 200:
                for case_id, school_id in reads.unlogged():
                    access_log_write(
                        user=request.user,
                        case_id=case_id,
                        action=AccessLog.Action.VIEW,
                        school_id=school_id,
                    )
        return response

    door.reads_case = True
    return door
