"""Signals about anyone with tasks at the school (WPO art. 4a): filed by anyone at the
school, read only by the board and the directie, never by the person it names. The route
does not apply.

What the law asks of the bevoegd gezag, in order: consult the vertrouwensinspecteur
*onverwijld*; when that consultation shows a redelijk vermoeden of a sexual offence, file
aangifte *onverwijld*, after informing the parents and the person concerned. Each of
these is an append-only action with its date; aangifte is refused before the
vertrouwensinspecteur's "yes" and before the parents and the person concerned were told.
A signal is closed once its duties are done, and purged after the board's term.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import works_at
from cases.append_only import purging
from cases.notify import mail_action_waits
from cases.staff_signals.models import (
    PersonRole,
    StaffSignal,
    StaffSignalAction,
    StaffSignalPupil,
    StaffSignalPurgeRecord,
    Suspicion,
)
from meldcode.models import Pupil, Role, School, User
from meldcode.workdays import add_working_days

Kind = StaffSignalAction.Kind


def staff_signal_readers(signal: StaffSignal) -> QuerySet[User]:
    """The board of the school and its directie, without the colleague it concerns."""
    board = Q(memberships__role=Role.BESTUUR, memberships__board_id=signal.school.board_id)
    directie = Q(memberships__role=Role.DIRECTIE, memberships__school=signal.school)
    readers = User.objects.filter(board | directie, is_active=True)
    if signal.concerns_id:
        readers = readers.exclude(pk=signal.concerns_id)
    return readers.distinct()


def staff_signal_file(
    *,
    school: School,
    concerns: User | None = None,
    concerns_name: str = "",
    concerns_role: str = "",
    description: str,
    by: User,
) -> StaffSignal:
    """File a signal about a user of the school (`concerns`) or about a person without an
    account (`concerns_name` with `concerns_role`). Anyone who works at the school may."""
    if not works_at(by, school):
        raise PermissionDenied(_("You do not work at this school."))
    concerns_name = " ".join((concerns_name or "").split())
    concerns_role = concerns_role or ""
    if concerns is not None:
        if concerns_name or concerns_role:
            raise ValidationError(
                {"concerns_name": _("Choose a colleague or give a name, not both.")}
            )
        if concerns == by:
            raise ValidationError({"concerns": _("A signal is about a colleague, not yourself.")})
        if not works_at(concerns, school):
            raise ValidationError({"concerns": _("Choose a colleague of this school.")})
    else:
        errors = {}
        if not concerns_name:
            errors["concerns_name"] = _("Choose a colleague, or give the name of the person.")
        elif len(concerns_name) > 200:
            errors["concerns_name"] = _("The name is too long.")
        if concerns_role not in PersonRole.values:
            errors["concerns_role"] = _("Choose the person's task at the school.")
        if errors:
            raise ValidationError(errors)
    description = description.strip()
    if not description:
        raise ValidationError({"description": _("Describe what you saw or heard.")})
    with transaction.atomic():
        signal = StaffSignal.objects.create(
            school=school,
            concerns=concerns,
            concerns_name=concerns_name if concerns is None else "",
            concerns_role=concerns_role if concerns is None else "",
            filed_by=by,
            description=description,
        )
        link = reverse("cases:staff_signal_detail", args=[signal.pk])
        mail_action_waits(list(staff_signal_readers(signal)), link, exclude=by)
    return signal


# pg_advisory_xact_lock(int, int): "staff signal", per signal.
ADVISORY_LOCK_KEY = 720_425


def _locked(signal: StaffSignal, by: User) -> StaffSignal:
    """The signal, with the actions on it serialised until the transaction ends. The
    signal's row is append-only, and the application role may not lock such a row FOR
    UPDATE (that needs the UPDATE privilege): an advisory lock per signal instead."""
    if not StaffSignal.visible_to(by).filter(pk=signal.pk).exists():
        raise PermissionDenied
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ADVISORY_LOCK_KEY, signal.pk])
    return StaffSignal.objects.select_related("school").get(pk=signal.pk)


def _first(actions: list[StaffSignalAction], *kinds: str) -> StaffSignalAction | None:
    for action in actions:
        if action.kind in kinds:
            return action
    return None


def _last(actions: list[StaffSignalAction], *kinds: str) -> StaffSignalAction | None:
    found = None
    for action in actions:
        if action.kind in kinds:
            found = action
    return found


def _in_order(actions) -> list[StaffSignalAction]:
    return sorted(actions, key=lambda action: (action.occurred_on or dt.date.min, action.at))


def staff_signal_record_action(
    *,
    signal: StaffSignal,
    kind: str,
    note: str,
    by: User,
    occurred_on: dt.date | None = None,
    suspicion: str = "",
) -> StaffSignalAction:
    """Record what was done with a staff signal, and on which day. A consultation with the
    vertrouwensinspecteur records its outcome; aangifte only after its "yes" and after
    the parents and the person concerned were informed; closing only once the duties are
    done; nothing after closing."""
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose what was done.")})
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Write down what was done and decided.")})
    today = timezone.localdate()
    occurred_on = occurred_on or today
    if occurred_on > today or occurred_on < timezone.localdate(signal.filed_at):
        raise ValidationError({"occurred_on": _("Give a date between the signal and today.")})
    suspicion = suspicion or ""
    if kind == Kind.CONFIDENTIAL_INSPECTOR:
        if suspicion not in Suspicion.values:
            raise ValidationError(
                {"suspicion": _("Record the outcome: is there a redelijk vermoeden?")}
            )
    elif suspicion:
        raise ValidationError(
            {"suspicion": _("Only a consultation with the vertrouwensinspecteur has an outcome.")}
        )
    with transaction.atomic():
        locked = _locked(signal, by)
        actions = _in_order(locked.actions.all())
        if _first(actions, Kind.CLOSED):
            raise ValidationError(_("The signal is closed: nothing more can be recorded."))
        duties = _duties(actions)
        if kind in (Kind.AANGIFTE_FILED, Kind.PARENTS_INFORMED, Kind.PERSON_INFORMED):
            yes = duties.suspected
            if yes is None:
                raise ValidationError(
                    {
                        "kind": _(
                            "Aangifte follows only when the consultation with the "
                            "vertrouwensinspecteur shows a redelijk vermoeden. Record that "
                            "consultation and its outcome first."
                        )
                    }
                )
            if occurred_on < yes.occurred_on:
                raise ValidationError(
                    {"occurred_on": _("This comes after the consultation: check the date.")}
                )
        if kind == Kind.AANGIFTE_FILED:
            missing = [
                label
                for label, done in (
                    (_("the parents"), duties.parents_informed),
                    (_("the person concerned"), duties.person_informed),
                )
                if done is None or done.occurred_on > occurred_on
            ]
            if missing:
                raise ValidationError(
                    {
                        "kind": _("Before aangifte, record that %(who)s were informed.")
                        % {"who": _(" and ").join(missing)}
                    }
                )
        if kind == Kind.CLOSED:
            if duties.consultation_open:
                raise ValidationError(
                    {
                        "kind": _(
                            "Consult the vertrouwensinspecteur before closing the signal, "
                            "until the outcome is yes or no."
                        )
                    }
                )
            if duties.suspected is not None and duties.aangifte is None:
                raise ValidationError(
                    {"kind": _("The vertrouwensinspecteur said yes: record the aangifte first.")}
                )
        return StaffSignalAction.objects.create(
            signal=locked,
            kind=kind,
            note=note,
            by=by,
            occurred_on=occurred_on,
            suspicion=suspicion,
        )


def staff_signal_link_pupil(*, signal: StaffSignal, pupil: Pupil, by: User) -> StaffSignalPupil:
    """Link a pupil of the signal's school that the signal concerns."""
    with transaction.atomic():
        locked = _locked(signal, by)
        if pupil.school_id != locked.school_id:
            raise ValidationError({"pupil": _("Choose a pupil of this school.")})
        if locked.pupils.filter(pupil=pupil).exists():
            raise ValidationError({"pupil": _("This pupil is already linked.")})
        return StaffSignalPupil.objects.create(signal=locked, pupil=pupil, by=by)


@dataclass(frozen=True)
class Duties:
    """Where a signal stands under WPO art. 4a (each the action that did it, or None)."""

    filed_on: dt.date
    consultation: StaffSignalAction | None  # the latest consultation
    suspected: StaffSignalAction | None  # the first consultation that said yes
    parents_informed: StaffSignalAction | None
    person_informed: StaffSignalAction | None
    aangifte: StaffSignalAction | None
    closed: StaffSignalAction | None

    @property
    def consultation_open(self) -> bool:
        """No consultation yet, or only ones that could not yet say."""
        return self.suspected is None and (
            self.consultation is None or self.consultation.suspicion == Suspicion.UNCLEAR
        )

    @property
    def consult_due(self) -> dt.date:
        """Onverwijld: the next working day after the signal."""
        return add_working_days(self.filed_on, 1)

    @property
    def aangifte_due(self) -> dt.date | None:
        """Onverwijld after the "yes": the next working day."""
        return add_working_days(self.suspected.occurred_on, 1) if self.suspected else None

    @property
    def inspector(self) -> StaffSignalAction | None:
        return self.consultation


def _duties(actions: list[StaffSignalAction], filed_on: dt.date | None = None) -> Duties:
    yes = [a for a in actions if a.kind == Kind.CONFIDENTIAL_INSPECTOR and a.suspicion == "yes"]
    return Duties(
        filed_on=filed_on or dt.date.min,
        consultation=_last(actions, Kind.CONFIDENTIAL_INSPECTOR),
        suspected=yes[0] if yes else None,
        parents_informed=_first(actions, Kind.PARENTS_INFORMED),
        person_informed=_first(actions, Kind.PERSON_INFORMED),
        aangifte=_first(actions, Kind.AANGIFTE_FILED),
        closed=_first(actions, Kind.CLOSED),
    )


def staff_signal_duties(signal: StaffSignal) -> Duties:
    """The duties of the board for this signal (WPO art. 4a), as far as recorded."""
    return _duties(_in_order(signal.actions.all()), timezone.localdate(signal.filed_at))


@dataclass(frozen=True)
class DutyDue:
    signal: StaffSignal
    what: str
    due: dt.date | None


def staff_signal_duties_due(user: User) -> list[DutyDue]:
    """For Mijn acties of the board and the directie: what waits, onverwijld, on every
    open signal `user` may read. Two queries, however many signals."""
    signals = (
        StaffSignal.visible_to(user)
        .exclude(actions__kind=Kind.CLOSED)
        .select_related("school")
        .prefetch_related(Prefetch("actions", queryset=StaffSignalAction.objects.order_by()))
        .order_by("filed_at", "pk")
    )
    due: list[DutyDue] = []
    for signal in signals:
        duties = _duties(_in_order(signal.actions.all()), timezone.localdate(signal.filed_at))
        if duties.consultation is None:
            due.append(
                DutyDue(
                    signal,
                    _("Consult the vertrouwensinspecteur (0900-111 3 111)"),
                    duties.consult_due,
                )
            )
        elif duties.consultation_open:
            # "Not yet possible to say": consult again when more is known, no fixed day.
            due.append(DutyDue(signal, _("Consult the vertrouwensinspecteur again"), None))
        elif duties.suspected is not None and duties.aangifte is None:
            if duties.parents_informed is None or duties.person_informed is None:
                what = _("Inform the parents and the person concerned, then file aangifte")
            else:
                what = _("File aangifte with the police")
            due.append(DutyDue(signal, what, duties.aangifte_due))
    return due


# --- Retention -----------------------------------------------------------------------


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def staff_signal_expires_on(signal: StaffSignal) -> dt.date | None:
    """The day a closed signal may be purged (the board's term after closing), or None
    while it is open."""
    closed = signal.actions.filter(kind=Kind.CLOSED).order_by("occurred_on").first()
    if closed is None:
        return None
    return _add_years(closed.occurred_on, signal.school.board.staff_signal_retention_years)


def expired_staff_signals(today: dt.date) -> list[StaffSignal]:
    signals = (
        StaffSignal.objects.filter(actions__kind=Kind.CLOSED)
        .select_related("school__board")
        .distinct()
        .order_by("pk")
    )
    return [s for s in signals if (end := staff_signal_expires_on(s)) and end <= today]


def staff_signal_purge(signal: StaffSignal, *, today: dt.date) -> StaffSignalPurgeRecord:
    """Delete one closed signal past the board's term with its actions and pupil links,
    leaving a purge record without content. Their seals stay in the school's chain (other
    signals share it) and verify as purged. On PostgreSQL this needs the owner role."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(%s, %s)", [ADVISORY_LOCK_KEY, signal.pk]
                )
        signal = StaffSignal.objects.select_related("school__board").get(pk=signal.pk)
        end = staff_signal_expires_on(signal)
        if end is None:
            raise ValidationError(_("An open signal is never purged."))
        if end > today:
            raise ValidationError(_("This signal's retention term has not ended."))
        actions = list(signal.actions.values_list("pk", flat=True))
        links = list(signal.pupils.values_list("pk", flat=True))
        keys = (
            [f"{StaffSignalAction._meta.label}:{pk}" for pk in actions]
            + [f"{StaffSignalPupil._meta.label}:{pk}" for pk in links]
            + [f"{StaffSignal._meta.label}:{signal.pk}"]
        )
        with purging(StaffSignal, StaffSignalAction, StaffSignalPupil):
            StaffSignalAction.objects.filter(pk__in=actions).delete()
            StaffSignalPupil.objects.filter(pk__in=links).delete()
            StaffSignal.objects.filter(pk=signal.pk).delete()
        years = signal.school.board.staff_signal_retention_years
        return StaffSignalPurgeRecord.objects.create(
            school=signal.school,
            signal_number=signal.pk,
            rule=_("%(years)s years after the signal was closed") % {"years": years},
            records="\n".join(keys),
        )


def purged_staff_records() -> set[tuple[str, int]]:
    """Every staff-signal record purged after its term (for `cases.seal.dossier_verify`)."""
    keys: set[tuple[str, int]] = set()
    for record in StaffSignalPurgeRecord.objects.all():
        keys.update(record.record_keys())
    return keys
