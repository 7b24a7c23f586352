"""Import pupils from the CSV a leerlingvolgsysteem (ParnasSys, Esis, ...) exports.

All or nothing: every bad row is named with its reason, and nothing is saved while
any row is bad. Importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meldcode.csv_table import ImportRefused, read_table
from meldcode.models import Pupil, Role, School, User
from meldcode.text_guard import check_instance

COLUMNS = ("voornaam", "tussenvoegsel", "achternaam", "geboortedatum", "groep")
# The day a pupil left the school, as a leerlingvolgsysteem exports it: the retention
# term of their closed cases counts from here. Optional: most lists hold current pupils.
OPTIONAL = ("uitschrijfdatum",)
REQUIRED = ("voornaam", "achternaam", "geboortedatum")
DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%y")

__all__ = ["ImportRefused", "ImportResult", "pupil_set_left", "pupils_import"]

# Who sets by hand the day a pupil leaves (the import sets it from the file).
LEAVING_SETTERS = (Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _parse_date(value: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def pupils_import(*, school: School, data: bytes) -> ImportResult:
    """Validate every row, then save all of them in one transaction, or none."""
    records = read_table(data, COLUMNS, optional=OPTIONAL)
    if not records:
        raise ImportRefused([_("The file has column names but no pupils.")])

    errors: list[str] = []
    valid: list[tuple[int, dict]] = []
    seen: dict[tuple, int] = {}
    labels = {
        "voornaam": _("first name"),
        "achternaam": _("last name"),
        "geboortedatum": _("date of birth"),
    }
    for number, record in records:
        row_errors = [
            _("%(field)s is missing") % {"field": labels[col]}
            for col in REQUIRED
            if not record[col]
        ]
        born = None
        if record["geboortedatum"]:
            born = _parse_date(record["geboortedatum"])
            if born is None:
                row_errors.append(
                    _("date of birth “%(value)s” is not a date (use dd-mm-jjjj)")
                    % {"value": record["geboortedatum"]}
                )
            elif not (dt.date(1990, 1, 1) <= born <= timezone.localdate()):
                row_errors.append(
                    _("date of birth %(value)s is not plausible for a pupil")
                    % {"value": record["geboortedatum"]}
                )
        left = None
        if record["uitschrijfdatum"]:
            left = _parse_date(record["uitschrijfdatum"])
            if left is None:
                row_errors.append(
                    _("date of leaving “%(value)s” is not a date (use dd-mm-jjjj)")
                    % {"value": record["uitschrijfdatum"]}
                )
        for col in ("voornaam", "tussenvoegsel", "achternaam"):
            if len(record[col]) > 100:
                row_errors.append(_("%(column)s is too long") % {"column": col})
        if len(record["groep"]) > 20:
            row_errors.append(_("group is too long"))
        if row_errors:
            errors.append(
                _("Row %(row)d: %(reasons)s.") % {"row": number, "reasons": "; ".join(row_errors)}
            )
            continue
        key = (
            record["voornaam"].lower(),
            record["tussenvoegsel"].lower(),
            record["achternaam"].lower(),
            born,
        )
        if key in seen:
            errors.append(
                _("Row %(row)d: the same pupil as row %(first)d.")
                % {"row": number, "first": seen[key]}
            )
            continue
        seen[key] = number
        valid.append(
            (
                number,
                {
                    "first_name": record["voornaam"],
                    "infix": record["tussenvoegsel"],
                    "last_name": record["achternaam"],
                    "date_of_birth": born,
                    "group": record["groep"],
                    "left_on": left,
                },
            )
        )
    if errors:
        raise ImportRefused(errors)

    return _save(school, [values for _number, values in valid])


def _key(first_name: str, infix: str, last_name: str, born: dt.date) -> tuple:
    # The same child, however the export capitalises the name this year.
    return (first_name.lower(), infix.lower(), last_name.lower(), born)


def _save(school: School, rows: list[dict]) -> ImportResult:
    """Bulk writes: one query to read the school's pupils, one to add, one to update, so
    that 10,000 rows take a second or two, not a minute."""
    result = ImportResult()
    with transaction.atomic():
        existing = {
            _key(pupil.first_name, pupil.infix, pupil.last_name, pupil.date_of_birth): pupil
            for pupil in Pupil.objects.select_for_update().filter(school=school)
        }
        new, changed = [], []
        for values in rows:
            pupil = existing.get(
                _key(
                    values["first_name"],
                    values["infix"],
                    values["last_name"],
                    values["date_of_birth"],
                )
            )
            # A date of leaving is set when the file gives one, never cleared by a file
            # without it (most lists hold only the current pupils).
            left_on = values["left_on"] or (pupil.left_on if pupil else None)
            if pupil is None:
                new.append(Pupil(school=school, **values))
            elif (pupil.group, pupil.left_on) != (values["group"], left_on):
                pupil.group, pupil.left_on = values["group"], left_on
                changed.append(pupil)
            else:
                result.unchanged += 1
        for pupil in new:
            check_instance(pupil)  # bulk_create sends no pre_save
        Pupil.objects.bulk_create(new, batch_size=1000)
        Pupil.objects.bulk_update(changed, ["group", "left_on"], batch_size=1000)
        result.created, result.updated = len(new), len(changed)
    return result


def pupil_set_left(*, pupil: Pupil, left_on: dt.date | None, by: User) -> Pupil:
    """Set (or clear) by hand the day a pupil leaves the school: the aandachtsfunctionaris
    or the directie. A case of a pupil who left asks for the leaving checklist
    (cases.leaving)."""
    if not by.has_role(pupil.school, *LEAVING_SETTERS):
        raise PermissionDenied
    with transaction.atomic():
        locked = Pupil.objects.select_for_update().get(pk=pupil.pk)
        locked.left_on = left_on
        locked.save(update_fields=["left_on"])
    return locked
