"""What every request asks of the signed-in person and that rarely changes, kept in their
own session: the schools they work at (for `request.school` and the switcher) and the
second-factor device that verified the session. Without it, each of the two is a query
on every request, the empty page included.

Each session keeps one entry, stamped with the user's id and `User.access_version`. The
user row is read on every request anyway, so checking the stamp costs nothing. Whatever
changes an answer raises the version of the users concerned (`access_changed`): a
membership added, changed or removed, a school or board edited, a device added, removed
or confirmed. The next request of each of their sessions then asks the database again.
The version is raised in the transaction of the change, so a request never keeps an
answer older than its stamp.

Only the person's own organisation rows and a device's id are kept: no case, no pupil,
no secret (a device comes back with its id, owner and confirmation only; anything else
is read from the database when asked).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.contrib.sessions.backends.base import SessionBase
from django.db import router
from django.db.models import F, Model, Q
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest

from meldcode.models import Board, Membership, Role, School, User

SESSION_KEY = "meldcode_access_cache"


def access_changed(users: Iterable[int] | Q) -> None:
    """The roles, schools or devices of these users (ids, or a condition on users)
    changed: every session of theirs asks again at its next request."""
    condition = users if isinstance(users, Q) else Q(pk__in=list(users))
    User.objects.filter(condition).update(access_version=F("access_version") + 1)


def _entry(session: SessionBase, user: User) -> dict[str, Any]:
    entry = session.get(SESSION_KEY)
    stamp = [user.pk, user.access_version]
    if not isinstance(entry, dict) or entry.get("stamp") != stamp:
        entry = {"stamp": stamp}
    return entry


def _keep(session: SessionBase, entry: dict[str, Any]) -> None:
    session[SESSION_KEY] = entry


# --- the schools ----------------------------------------------------------------------------


def _fields(model: type[Model]) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def _row(instance: Model) -> list:
    return [getattr(instance, name) for name in _fields(type(instance))]


def _school_from(row: list) -> School:
    school_row, board_row = row
    db = router.db_for_read(School)
    school = School.from_db(db, _fields(School), school_row)
    school.board = Board.from_db(db, _fields(Board), board_row)
    return school


def schools_of(request: HttpRequest) -> list[School]:
    """Every school the signed-in user works at (see `User.schools`), with its board."""
    return _schools(request.session, request.user)


def _schools(session: SessionBase, user: User) -> list[School]:
    entry = _entry(session, user)
    if "schools" not in entry:
        schools = list(user.schools().select_related("board"))
        entry["schools"] = [[_row(school), _row(school.board)] for school in schools]
        _keep(session, entry)
        return schools
    return [_school_from(row) for row in entry["schools"]]


# --- the device of the second factor ----------------------------------------------------------

DEVICE_FIELDS = ("id", "user_id", "confirmed")


def device_of(request: HttpRequest, user: User, persistent_id: str):
    """The device `persistent_id` names, as `Device.from_persistent_id` finds it (None when
    it is gone), kept for `user`'s session (`request.user` is still being set up): a
    model instance of the device's own class with only its id, owner and confirmation
    loaded."""
    return _device(request.session, user, persistent_id)


def _device(session: SessionBase, user: User, persistent_id: str):
    from django_otp.models import Device

    entry = _entry(session, user)
    kept = entry.get("device")
    if isinstance(kept, list) and len(kept) == 2 and kept[0] == persistent_id:
        values = kept[1]
        if values is None:
            return None
        model = apps.get_model(persistent_id.rsplit("/", 1)[0])
        return model.from_db(router.db_for_read(model), list(DEVICE_FIELDS), values)
    device = Device.from_persistent_id(persistent_id)
    values = None if device is None else [getattr(device, name) for name in DEVICE_FIELDS]
    entry["device"] = [persistent_id, values]
    _keep(session, entry)
    return device


def fill(session: SessionBase, user: User) -> None:
    """Keep the user's schools and the session's device now, as a session in use holds
    them (for tests that start from a session in use; a real one fills at its first
    request after sign-in)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    _schools(session, user)
    if persistent_id := session.get(DEVICE_ID_SESSION_KEY):
        _device(session, user, persistent_id)


# --- what changes the answers ---------------------------------------------------------------


def _membership_changed(sender, instance: Membership, **kwargs) -> None:
    if not kwargs.get("raw"):
        access_changed([instance.user_id])


def _school_changed(sender, instance: School, **kwargs) -> None:
    if not kwargs.get("raw"):
        access_changed(
            Q(memberships__school_id=instance.pk)
            | Q(memberships__role=Role.BESTUUR, memberships__board_id=instance.board_id)
        )


def _board_changed(sender, instance: Board, **kwargs) -> None:
    if not kwargs.get("raw"):
        access_changed(
            Q(memberships__board_id=instance.pk) | Q(memberships__school__board_id=instance.pk)
        )


def _device_changed(sender, instance, **kwargs) -> None:
    if not kwargs.get("raw") and getattr(instance, "user_id", None):
        access_changed([instance.user_id])


def connect() -> None:
    """Called once at start-up (meldcode.apps): every write path, the admin and cascades
    included, raises the version; bulk writes without signals call `access_changed`."""
    from django_otp.models import Device

    for name, signal in (("saved", post_save), ("deleted", post_delete)):
        for model, receiver in (
            (Membership, _membership_changed),
            (School, _school_changed),
            (Board, _board_changed),
            *((m, _device_changed) for m in apps.get_models() if issubclass(m, Device)),
        ):
            uid = f"access-changed-{model._meta.label}-{name}"
            signal.connect(receiver, sender=model, dispatch_uid=uid)
