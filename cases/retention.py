"""Bewaartermijn: closed cases are kept for the school's term, then purged completely.

A school keeps a closed case `retention_years` after an event: the pupil leaving the
school (the default, as the seeds keep signals in the leerlingdossier until two years
after the pupil left) or the case being closed. Past that, `purge_case` deletes the
case with everything it holds: every record of every part, the history rows of its
mutable records, its uploads on disk, its grants, its seals and the admin's log of it;
it blanks who read it in the access log; and, once the pupil has left and no case of
theirs remains, the pupil. What stays is one `PurgeRecord` without content.

This is the only path on which the append-only guards let a delete through
(`cases.append_only.purging`); on PostgreSQL it needs the owner role, since the
application role may not delete from those tables at all.

Chains across a purge: a case's seals form a chain of their own, and the purge deletes
that chain whole, so no other chain changes; the purge record keeps the number of seals
and the last hash, so an earlier `verify_dossiers` print-out still fits. Access-log rows
keep their digests and hashes when their content is blanked, so every school's chain
still verifies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalChanges

from cases.access_log import access_log_purge_case
from cases.append_only import AppendOnlyModel, append_only_trigger, purging
from cases.workflow import Step
from meldcode.models import Pupil, RetentionFrom, School


class PurgeRecord(AppendOnlyModel):
    """That a case was purged, when and under which rule: no pupil, no content."""

    at = models.DateTimeField(gettext_lazy("purged at"), default=timezone.now)
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="+", verbose_name=gettext_lazy("school")
    )
    case_number = models.PositiveBigIntegerField(gettext_lazy("case number"), unique=True)
    rule = models.CharField(gettext_lazy("retention rule"), max_length=200)
    records = models.PositiveIntegerField(gettext_lazy("records deleted"))
    seals = models.PositiveIntegerField(gettext_lazy("seals deleted"))
    last_seal_hash = models.CharField(gettext_lazy("last hash of its chain"), max_length=64)
    access_rows_blanked = models.PositiveIntegerField(gettext_lazy("access-log rows blanked"))
    pupil_deleted = models.BooleanField(gettext_lazy("pupil deleted"))

    class Meta:
        verbose_name = gettext_lazy("purge record")
        verbose_name_plural = gettext_lazy("purge records")
        ordering = ["at", "pk"]
        triggers = [append_only_trigger("purge_record_append_only")]

    def __str__(self) -> str:
        return f"{self.case_number} · {self.at:%Y-%m-%d}"


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def expires_on(case) -> dt.date | None:
    """The day a closed case may be purged, or None while it must be kept (open, or the
    pupil has not left)."""
    if case.step != Step.CLOSED:
        return None
    school = case.school
    if school.retention_from == RetentionFrom.CASE_CLOSED:
        start = timezone.localdate(case.step_entered_at)
    else:
        start = case.pupil.left_on
        if start is None:
            return None
    return _add_years(start, school.retention_years)


def rule_text(school: School) -> str:
    return _("%(years)s years after %(event)s") % {
        "years": school.retention_years,
        "event": RetentionFrom(school.retention_from).label,
    }


def expired_cases(today: dt.date):
    from cases.models import Case

    closed = Case.objects.filter(step=Step.CLOSED).select_related("school", "pupil")
    return [case for case in closed.order_by("pk") if (end := expires_on(case)) and end <= today]


def _collect(root_model, root_pks: set) -> dict[type[models.Model], set]:
    """Every row that points at the roots, directly or through other collected rows,
    following foreign keys the way the delete would have to; history rows by their id."""
    collected: dict[type[models.Model], set] = {root_model: set(root_pks)}
    everything = apps.get_models(include_auto_created=True)
    changed = True
    while changed:
        changed = False
        for model in everything:
            if issubclass(model, HistoricalChanges):
                continue
            for fk in model._meta.concrete_fields:
                target = fk.related_model if fk.many_to_one or fk.one_to_one else None
                if target is None or target not in collected or target is model:
                    continue
                found = set(
                    model._base_manager.filter(
                        **{f"{fk.attname}__in": collected[target]}
                    ).values_list("pk", flat=True)
                )
                new = found - collected.get(model, set())
                if new:
                    collected.setdefault(model, set()).update(new)
                    changed = True
    return collected


def _history_of(collected) -> dict[type[models.Model], list]:
    """The history rows of every collected record, and those that point at one."""
    found = {}
    for model in apps.get_models():
        if not issubclass(model, HistoricalChanges):
            continue
        query = models.Q(pk__in=[])
        if model.instance_type in collected:
            query |= models.Q(id__in=collected[model.instance_type])
        for fk in model._meta.concrete_fields:
            if fk.is_relation and fk.related_model in collected and fk.name != "history_user":
                query |= models.Q(**{f"{fk.attname}__in": collected[fk.related_model]})
        pks = list(model._base_manager.filter(query).values_list("pk", flat=True))
        if pks:
            found[model] = pks
    return found


def _raw_delete(model, pks) -> int:
    pks = list(pks)
    deleted = 0
    for start in range(0, len(pks), 500):
        queryset = model._base_manager.filter(pk__in=pks[start : start + 500])
        deleted += queryset._raw_delete(queryset.db)
    return deleted


@dataclass
class PurgeResult:
    case_number: int
    records: int = 0
    seals: int = 0
    access_rows: int = 0
    pupil_deleted: bool = False
    files: list = field(default_factory=list)


def purge_case(case, *, today: dt.date) -> PurgeRecord:
    """Delete one expired, closed case with everything it holds (see the module)."""
    from cases.inzage.models import InzageRelease
    from cases.models import Case
    from cases.seal import Seal
    from cases.staff_signals.models import StaffSignalPupil
    from cases.uploads import Upload

    with transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("school", "pupil")
            .get(pk=case.pk)
        )
        end = expires_on(case)
        if case.step != Step.CLOSED:
            raise ValidationError(_("An open case is never purged."))
        if end is None or end > today:
            raise ValidationError(_("This case's retention term has not ended."))
        pupil = case.pupil
        collected = _collect(Case, {case.pk})
        other_cases = Case.objects.filter(pupil=pupil).exclude(pk=case.pk).exists()
        # A pupil linked to a staff signal stays until that signal is purged in its turn.
        in_staff_signal = StaffSignalPupil.objects.filter(pupil=pupil).exists()
        pupil_goes = pupil.left_on is not None and not other_cases and not in_staff_signal
        if pupil_goes:
            collected.setdefault(Pupil, set()).add(pupil.pk)
            # What points at the pupil and not at the case (nothing today) goes too.
            for model, pks in _collect(Pupil, {pupil.pk}).items():
                collected.setdefault(model, set()).update(pks)
        history = _history_of(collected)
        files = [
            upload.path for upload in Upload.objects.filter(pk__in=collected.get(Upload, set()))
        ] + [
            release.path
            for release in InzageRelease.objects.filter(pk__in=collected.get(InzageRelease, set()))
        ]
        chain = f"case:{case.pk}"
        seals = Seal.objects.filter(chain=chain)
        seal_count = seals.count()
        last = seals.order_by("-seq").values_list("row_hash", flat=True).first() or ""

        guarded = [
            model for model in [*collected, *history, Seal] if issubclass(model, AppendOnlyModel)
        ]
        records = 0
        with purging(*guarded):
            for model, pks in history.items():
                records += _raw_delete(model, pks)
            for model, pks in collected.items():
                records += _raw_delete(model, pks)
            _raw_delete(Seal, seals.values_list("pk", flat=True))
            for model, pks in collected.items():
                content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
                LogEntry.objects.filter(
                    content_type=content_type, object_id__in=[str(pk) for pk in pks]
                ).delete()
        access_rows = access_log_purge_case(case.pk)
        record = PurgeRecord.objects.create(
            school=case.school,
            case_number=case.pk,
            rule=rule_text(case.school),
            records=records,
            seals=seal_count,
            last_seal_hash=last,
            access_rows_blanked=access_rows,
            pupil_deleted=pupil_goes,
        )
        transaction.on_commit(lambda: _remove_files(files))
    return record


def _remove_files(paths) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
