"""Reading the CSV files schools bring (pupil lists, sociale kaart): one reader for all;
and writing every CSV the application hands out: one writer for all.

Excel in the Netherlands saves with semicolons and often in Windows-1252; other tools
use commas and UTF-8 with or without a BOM. Anything else is refused with a reason.
What is written opens in Excel as it is: semicolons, UTF-8 with a BOM, and no cell that
Excel would run as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence

from django.http import HttpResponse
from django.utils.translation import gettext as _

from meldcode.text_guard import first_control

MAX_BYTES = 2 * 1024 * 1024


class ImportRefused(Exception):
    """The file was refused as a whole; `errors` lists every reason, per row where known."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ImportRefused([_("The file is larger than 2 MB.")])
    if b"\x00" in data[:4096]:
        raise ImportRefused([_("The file is not a CSV file (it contains binary data).")])
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        _refuse_control_characters(text)
        return text
    raise ImportRefused([_("The file is not a readable text file.")])


def _refuse_control_characters(text: str) -> None:
    """Anywhere in the file, not only its start: name every line that holds one."""
    errors = []
    for number, line in enumerate(text.split("\n"), start=1):
        if char := first_control(line.rstrip("\r")):
            errors.append(
                _("Line %(line)d contains an invisible control character (%(char)s).")
                % {"line": number, "char": char}
            )
    if errors:
        raise ImportRefused(
            [*errors[:20], _("Nothing was imported: save the file again as CSV and retry.")]
        )


def _delimiter(text: str) -> str:
    """The separator of the header line (the rows may hold any number of commas in text)."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: header.count(delimiter) for delimiter in ";,\t"}
    best = max(counts, key=counts.get)
    if counts[best] == 0:
        raise ImportRefused(
            [_("The file is not a CSV file: no columns separated by ; or , were found.")]
        )
    return best


def _check_header(header: list[str], columns: Sequence[str], optional: Sequence[str]) -> None:
    missing = [column for column in columns if column not in header]
    unknown = [column for column in header if column not in (*columns, *optional)]
    if not (missing or unknown):
        return
    errors = []
    if missing:
        errors.append(_("Missing columns: %s.") % ", ".join(missing))
    if unknown:
        errors.append(_("Unknown columns: %s.") % ", ".join(unknown))
    errors.append(_("Expected exactly these columns: %s.") % ", ".join(columns))
    raise ImportRefused(errors)


def read_table(
    data: bytes,
    columns: Sequence[str],
    cell: Callable[[str], str] = str.strip,
    optional: Sequence[str] = (),
) -> list[tuple[int, dict[str, str]]]:
    """The rows of a CSV file with exactly `columns` (in any order) and any of `optional`,
    as (row number, record); an optional column that is absent reads as "".

    Row numbers are as a spreadsheet shows them: the header is row 1; blank rows are
    skipped but still counted.
    """
    text = decode(data)
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise ImportRefused([_("The file is not a valid CSV file (%s).") % exc]) from None
    if not rows or not any(value.strip() for value in rows[0]):
        raise ImportRefused([_("The file is empty.")])
    header = [value.strip().lower() for value in rows[0]]
    _check_header(header, columns, optional)
    absent = {column: "" for column in optional if column not in header}
    return [
        (
            number,
            absent
            | {column: cell(row[i]) if i < len(row) else "" for i, column in enumerate(header)},
        )
        for number, row in enumerate(rows[1:], start=2)
        if any(value.strip() for value in row)
    ]


# A cell starting with one of these is run as a formula by Excel or LibreOffice (CSV
# injection): a theme named =HYPERLINK("http://…") would become a link that sends data.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_out(value: object) -> str:
    """A cell as written: the quote makes a spreadsheet show the text as text."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


def cell_in(value: str) -> str:
    """A cell as read back: the quote `cell_out` added is taken off again."""
    value = value.strip()
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_START) else value


def write_table(rows: Iterable[Sequence[object]]) -> str:
    """`rows` as CSV text for Excel, every cell escaped: the only way a CSV is written."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([cell_out(cell) for cell in row])
    return "\ufeff" + out.getvalue()


def csv_response(rows: Iterable[Sequence[object]], *, filename: str) -> HttpResponse:
    """A CSV download, never cached: every export holds school data."""
    response = HttpResponse(write_table(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
