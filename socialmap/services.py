"""Every write to the sociale kaart goes through these functions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meldcode.models import School, User
from socialmap.models import BoardTemplate, Organisation
from socialmap.national import NATIONAL_ENTRIES

COPIED_FIELDS = (
    "name",
    "category",
    "contact_person",
    "address",
    "phone",
    "email",
    "website",
    "notes",
)


def lock_school(school: School) -> None:
    # Seeding and copying check "is it there yet?" first: one at a time per school.
    School.objects.select_for_update().filter(pk=school.pk).first()


def _has_entry(school: School, name: str, category: str) -> bool:
    # Archived entries count: what a school archived on purpose is not brought back.
    return Organisation.objects.filter(school=school, name__iexact=name, category=category).exists()


def _add_missing(school: School, values: dict[str, str], by: User | None) -> bool:
    if _has_entry(school, values["name"], values["category"]):
        return False
    organisation_save(organisation=Organisation(school=school, **values), by=by)
    return True


def organisation_save(*, organisation: Organisation, by: User | None) -> Organisation:
    """Saves a new or changed entry, recording `by` in its history."""
    organisation._history_user = by
    with transaction.atomic():
        organisation.save()
    return organisation


def school_seed_socialmap(*, school: School) -> int:
    """Gives a school the national entries and its board's templates; returns how many were
    added. Idempotent: running it again adds nothing."""
    with transaction.atomic():
        lock_school(school)
        added = sum(_add_missing(school, dict(values), None) for values in NATIONAL_ENTRIES)
        added += board_templates_copy(school=school, by=None)
    return added


def board_templates_copy(*, school: School, by: User | None) -> int:
    """Copies the board's templates the school does not have yet; returns how many."""
    with transaction.atomic():
        lock_school(school)
        templates = BoardTemplate.objects.filter(board_id=school.board_id).order_by("pk")
        return sum(
            _add_missing(school, {field: getattr(t, field) for field in COPIED_FIELDS}, by)
            for t in templates
        )


def _locked(organisation: Organisation) -> Organisation:
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


def organisation_archive(*, organisation: Organisation, by: User) -> Organisation:
    """Takes an entry off the sociale kaart without deleting it: cases keep pointing at it."""
    with transaction.atomic():
        locked = _locked(organisation)
        if locked.archived_at is None:
            locked.archived_at = timezone.now()
            organisation_save(organisation=locked, by=by)
    return locked


def organisation_restore(*, organisation: Organisation, by: User) -> Organisation:
    with transaction.atomic():
        locked = _locked(organisation)
        if locked.archived_at is None:
            return locked
        twin = Organisation.objects.active().filter(
            school_id=locked.school_id, name__iexact=locked.name, category=locked.category
        )
        if twin.exists():
            raise ValidationError(
                _("The social map already has an active entry with this name and category.")
            )
        locked.archived_at = None
        organisation_save(organisation=locked, by=by)
    return locked


def organisation_mark_checked(*, organisation: Organisation, by: User) -> Organisation:
    """Records that someone checked today that the details are still right."""
    with transaction.atomic():
        locked = _locked(organisation)
        locked.last_checked = timezone.localdate()
        organisation_save(organisation=locked, by=by)
    return locked
