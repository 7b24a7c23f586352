"""Who has access to a school: every change of a membership is kept (simple-history),
shown to the school's directie and mailed to them, without names: that the access to
their school changed, with a link to the page that says who, since when, given by whom.
So an application manager who gives themselves a role is seen by the school.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils.translation import gettext as _

from meldcode.models import Membership, Role, School, User
from meldcode.outbox import mail_queue
from meldcode.request_cache import forget


def directie_of(school_id: int) -> list[str]:
    return sorted(
        User.objects.filter(
            is_active=True,
            memberships__school_id=school_id,
            memberships__role=Role.DIRECTIE,
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def mail_access_changed(school_id: int) -> None:
    addresses = directie_of(school_id)
    if not addresses:
        return
    mail_queue(
        subject=_("Meldcode: the access to your school changed"),
        body=_(
            "In Meldcode someone's role at your school was added, changed or removed.\n\n"
            "See who has access, since when and given by whom: %(link)s\n\n"
            "This e-mail deliberately contains no names or details."
        )
        % {"link": settings.SITE_URL + reverse("school_access")},
        to=addresses,
    )


def mail_board_access_changed(board_id: int, *, changed_user_id: int) -> None:
    """A board role reads every staff signal of the board's schools: every directie of
    those schools and the other board members are told, without names."""
    addresses = set()
    for school_id in School.objects.filter(board_id=board_id).values_list("pk", flat=True):
        addresses.update(directie_of(school_id))
    addresses.update(
        User.objects.filter(
            is_active=True, memberships__board_id=board_id, memberships__role=Role.BESTUUR
        )
        .exclude(pk=changed_user_id)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not addresses:
        return
    mail_queue(
        subject=_("Meldcode: a board role changed"),
        body=_(
            "In Meldcode someone's role at the board of your school was added, changed or "
            "removed. A board role reads the signals about staff of every school of the "
            "board.\n\nSee who has access, since when and given by whom: %(link)s\n\n"
            "This e-mail deliberately contains no names or details."
        )
        % {"link": settings.SITE_URL + reverse("school_access")},
        to=sorted(addresses),
    )


# Inside `access_changes_batched()`: the schools whose access changed, told once at the end.
_batched: contextvars.ContextVar[set[int] | None] = contextvars.ContextVar(
    "access_changes", default=None
)


@contextlib.contextmanager
def access_changes_batched() -> Iterator[set[int]]:
    """Many roles changed at once (the staff import): each school's directie gets one
    mail, not one per role. Add the schools of changes made without signals (bulk) to
    the set this yields."""
    token = _batched.set(set())
    try:
        yield _batched.get()
        schools = _batched.get()
    finally:
        _batched.reset(token)
    for school_id in sorted(schools):
        mail_access_changed(school_id)


def _changed(sender, instance: Membership, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    forget()  # answers of this request that depend on someone's roles (case_scope, roles_at)
    batch = _batched.get()
    if batch is not None and instance.school_id is not None:
        batch.add(instance.school_id)
        return
    if instance.school_id is not None:
        mail_access_changed(instance.school_id)
    elif instance.role == Role.BESTUUR and instance.board_id:
        mail_board_access_changed(instance.board_id, changed_user_id=instance.user_id)


post_save.connect(_changed, sender=Membership, dispatch_uid="membership-changed-mail")
post_delete.connect(_changed, sender=Membership, dispatch_uid="membership-removed-mail")


def _at_school(school) -> Q:
    """The roles at `school`: its own, and the board roles over it."""
    return Q(school=school) | Q(school__isnull=True, role=Role.BESTUUR, board_id=school.board_id)


def access_history(school):
    """Every change of a role at `school` (board roles included), newest first."""
    return (
        Membership.history.filter(_at_school(school))
        .select_related("user", "history_user")
        .order_by("-history_date", "-history_id")
    )


def current_access(school) -> list[dict]:
    """Everyone with a role at `school` now: since when and given by whom."""
    members = list(
        Membership.objects.filter(_at_school(school))
        .select_related("user")
        .order_by("role", "user")
    )
    first = {}
    for row in (
        Membership.history.filter(id__in=[member.pk for member in members], history_type="+")
        .select_related("history_user")
        .order_by("history_date")
    ):
        first.setdefault(row.id, row)
    return [
        {
            "membership": member,
            "since": first[member.pk].history_date if member.pk in first else None,
            "given_by": first[member.pk].history_user if member.pk in first else None,
        }
        for member in members
    ]


def board_roles(board) -> list[dict]:
    """Everyone with a board role at `board` now, since when and given by whom."""
    rows = Membership.objects.filter(board=board, role=Role.BESTUUR, school__isnull=True)
    first = {}
    for row in (
        Membership.history.filter(id__in=rows.values("pk"), history_type="+")
        .select_related("history_user")
        .order_by("history_date")
    ):
        first.setdefault(row.id, row)
    return [
        {
            "membership": member,
            "since": first[member.pk].history_date if member.pk in first else None,
            "given_by": first[member.pk].history_user if member.pk in first else None,
        }
        for member in rows.select_related("user").order_by("user")
    ]


def board_role_history(board):
    return (
        Membership.history.filter(board=board, role=Role.BESTUUR, school__isnull=True)
        .select_related("user", "history_user")
        .order_by("-history_date", "-history_id")
    )
