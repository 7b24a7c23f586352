"""Who may read and who may edit the sociale kaart: the one door for every view."""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.http import Http404

from meldcode.models import Board, Role, School, User
from socialmap.models import BoardTemplate, Organisation

EDITORS = (Role.IB, Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE)
REVIEWERS = (Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE)


class Action(StrEnum):
    READ = "read"
    EDIT = "edit"


def can_read(user: User, school: School | None) -> bool:
    """Every staff member of the school reads, and so does the board."""
    return bool(user.roles_at(school))


def can_edit(user: User, school: School | None) -> bool:
    return user.has_role(school, *EDITORS)


def may(user: User, school: School | None, action: Action) -> bool:
    return can_edit(user, school) if action == Action.EDIT else can_read(user, school)


def require(user: User, school: School | None, action: Action) -> School:
    """The school, when the user may take `action` there; otherwise 403."""
    if school is None or not may(user, school, action):
        raise PermissionDenied
    return school


def get_organisation_for(user: User, pk: int, action: Action) -> Organisation:
    """404 when the entry belongs to no school of the user (never hint it exists),
    403 when the user may read it but not take `action`."""
    organisation = (
        Organisation.objects.select_related("school").filter(pk=pk, school__in=user.schools())
    ).first()
    if organisation is None or not can_read(user, organisation.school):
        raise Http404
    require(user, organisation.school, action)
    return organisation


def board_of_manager(user: User, school: School | None) -> Board:
    """The board whose templates the user keeps: only a bestuur member does."""
    if school is None or not user.has_role(school, Role.BESTUUR):
        raise PermissionDenied
    return school.board


def get_template_for(user: User, pk: int, school: School | None) -> BoardTemplate:
    board = board_of_manager(user, school)
    template = BoardTemplate.objects.filter(pk=pk, board=board).first()
    if template is None:
        raise Http404
    return template
