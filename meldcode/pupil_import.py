"""Import pupils from the CSV a leerlingvolgsysteem (ParnasSys, Esis, ...) exports.

All or nothing: every bad row is named with its reason, and nothing is saved while
any row is bad. Importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from meldcode.models import Pupil, School

COLUMNS = ("voornaam", "tussenvoegsel", "achternaam", "geboortedatum", "groep")
REQUIRED = ("voornaam", "achternaam", "geboortedatum")
DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%y")
MAX_BYTES = 2 * 1024 * 1024


class ImportRefused(Exception):
    """The file was refused as a whole; `errors` lists every reason, per row where known."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise ImportRefused([_("The file is not a CSV file (it contains binary data).")])
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRefused([_("The file is not a readable text file.")])


def _parse_date(value: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            parsed = dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        return parsed
    return None


def _read_rows(text: str) -> list[tuple[int, dict[str, str]]]:
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        if ";" not in sample and "," not in sample and "\t" not in sample:
            raise ImportRefused(
                [_("The file is not a CSV file: no columns separated by ; or , were found.")]
            ) from None
        dialect = csv.excel
        dialect.delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), dialect)
    rows: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise ImportRefused([_("The file is not a valid CSV file (%s).") % exc]) from None
    if not rows:
        raise ImportRefused([_("The file is empty.")])
    header = [cell.strip().lower() for cell in rows[0][1]]
    missing = [col for col in COLUMNS if col not in header]
    unknown = [col for col in header if col not in COLUMNS]
    if missing or unknown:
        errors = []
        if missing:
            errors.append(_("Missing columns: %s.") % ", ".join(missing))
        if unknown:
            errors.append(_("Unknown columns: %s.") % ", ".join(unknown))
        errors.append(_("Expected exactly these columns: %s.") % ", ".join(COLUMNS))
        raise ImportRefused(errors)
    records = [
        (line, {col: (row[i].strip() if i < len(row) else "") for i, col in enumerate(header)})
        for line, row in rows[1:]
    ]
    if not records:
        raise ImportRefused([_("The file has column names but no pupils.")])
    return records


def pupils_import(*, school: School, data: bytes) -> ImportResult:
    """Validate every row, then save all of them in one transaction, or none."""
    if len(data) > MAX_BYTES:
        raise ImportRefused([_("The file is larger than 2 MB.")])
    records = _read_rows(_decode(data))

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
            pupil, created = Pupil.objects.select_for_update().get_or_create(
                school=school, **values, defaults={"group": group}
            )
            if created:
                result.created += 1
            elif pupil.group != group:
                pupil.group = group
                pupil.save(update_fields=["group"])
                result.updated += 1
            else:
                result.unchanged += 1
    return result
