"""Import pupils from the CSV a leerlingvolgsysteem (ParnasSys, Esis, ...) exports.

All or nothing: every bad row is named with its reason, and nothing is saved while
any row is bad. Importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from meldcode.csv_table import ImportRefused, read_table
from meldcode.models import Pupil, School

COLUMNS = ("voornaam", "tussenvoegsel", "achternaam", "geboortedatum", "groep")
REQUIRED = ("voornaam", "achternaam", "geboortedatum")
DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%y")

__all__ = ["ImportRefused", "ImportResult", "pupils_import"]


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
    records = read_table(data, COLUMNS)
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
            elif not (dt.date(1990, 1, 1) <= born <= dt.date.today()):
                row_errors.append(
                    _("date of birth %(value)s is not plausible for a pupil")
                    % {"value": record["geboortedatum"]}
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
                },
            )
        )
    if errors:
        raise ImportRefused(errors)

    result = ImportResult()
    with transaction.atomic():
        for _number, values in valid:
            group = values.pop("group")
            # The same child, however the export capitalises the name this year.
            pupil = (
                Pupil.objects.select_for_update()
                .filter(
                    school=school,
                    first_name__iexact=values["first_name"],
                    infix__iexact=values["infix"],
                    last_name__iexact=values["last_name"],
                    date_of_birth=values["date_of_birth"],
                )
                .first()
            )
            if pupil is None:
                Pupil.objects.create(school=school, group=group, **values)
                result.created += 1
            elif pupil.group != group:
                pupil.group = group
                pupil.save(update_fields=["group"])
                result.updated += 1
            else:
                result.unchanged += 1
    return result
