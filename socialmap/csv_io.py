"""CSV export and import of a school's sociale kaart.

The export opens in Excel (semicolons, BOM, Dutch column names and categories). The
import validates every row with the same form as the screen, names every bad row,
and saves nothing while any row is bad. Name and category identify an entry, so
importing an export again updates entries instead of adding them twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meldcode.csv_table import ImportRefused, cell_in, read_table, write_table
from meldcode.models import School, User
from socialmap.forms import OrganisationForm
from socialmap.models import Category, Organisation
from socialmap.services import lock_school, organisation_save

# CSV column -> model field. The column names are what a Dutch user sees in Excel.
COLUMNS: dict[str, str] = {
    "naam": "name",
    "categorie": "category",
    "contactpersoon": "contact_person",
    "adres": "address",
    "telefoon": "phone",
    "e-mail": "email",
    "website": "website",
    "notities": "notes",
    "laatst gecontroleerd": "last_checked",
}
FIELD_TO_COLUMN = {field: column for column, field in COLUMNS.items()}
DATE_FORMAT = "%d-%m-%Y"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def organisations_rows(*, school: School) -> list[list[str]]:
    """The sociale kaart as a table: the header, then one row per active entry."""
    labels = dict(Category.choices)
    return [
        list(COLUMNS),
        *(
            [
                organisation.name,
                str(labels[organisation.category]),
                organisation.contact_person,
                organisation.address,
                organisation.phone,
                organisation.email,
                organisation.website,
                organisation.notes,
                organisation.last_checked.strftime(DATE_FORMAT),
            ]
            for organisation in Organisation.objects.of_school(school).active().ordered()
        ),
    ]


def organisations_export(*, school: School) -> str:
    return write_table(organisations_rows(school=school))


def _category_value(text: str) -> str:
    """Accepts the Dutch label of the export as well as the stored value."""
    wanted = text.strip().lower()
    for value, label in Category.choices:
        if wanted in (value, str(label).lower()):
            return value
    return text


def _form_for(school: School, record: dict[str, str]) -> OrganisationForm:
    data = {field: record[column] for column, field in COLUMNS.items()}
    data["category"] = _category_value(data["category"])
    existing = (
        Organisation.objects.of_school(school)
        .active()
        .filter(name__iexact=data["name"], category=data["category"])
        .first()
        if data["name"]
        else None
    )
    if not data["last_checked"]:
        # No date: keep what is known, or count a new entry as checked today.
        data["last_checked"] = existing.last_checked if existing else timezone.localdate()
    return OrganisationForm(data=data, school=school, instance=existing)


def _row_errors(form: OrganisationForm) -> str:
    reasons = []
    for field, messages in form.errors.items():
        column = FIELD_TO_COLUMN.get(field)
        prefix = f"{column}: " if column else ""
        reasons.extend(f"{prefix}{message.rstrip('.')}" for message in messages)
    return "; ".join(reasons)


def _validate(school: School, records: list[tuple[int, dict[str, str]]]) -> list[OrganisationForm]:
    errors: list[str] = []
    forms: list[OrganisationForm] = []
    seen: dict[tuple[str, str], str] = {}
    archived = {
        (name.lower(), category)
        for name, category in Organisation.objects.of_school(school)
        .archived()
        .values_list("name", "category")
    }
    for row, record in records:
        form = _form_for(school, record)
        key = (record["naam"].lower(), _category_value(record["categorie"]))
        if key in archived and form.instance.pk is None:
            errors.append(
                _(
                    "Row %(row)d: %(name)s is archived; restore it on the social map first, "
                    "or leave this row out."
                )
                % {"row": row, "name": record["naam"]}
            )
            continue
        if not form.is_valid():
            errors.append(
                _("Row %(row)d: %(reasons)s.") % {"row": row, "reasons": _row_errors(form)}
            )
            continue
        key = (form.cleaned_data["name"].lower(), form.cleaned_data["category"])
        if key in seen:
            errors.append(
                _("Row %(row)d: the same organisation and category as row %(first)d.")
                % {"row": row, "first": seen[key]}
            )
            continue
        seen[key] = row
        forms.append(form)
    if errors:
        raise ImportRefused(errors)
    return forms


def organisations_import(*, school: School, data: bytes, by: User) -> ImportResult:
    """Validates every row, then saves all of them in one transaction, or none."""
    records = read_table(data, list(COLUMNS), cell=cell_in)
    if not records:
        raise ImportRefused([_("The file has column names but no entries.")])
    result = ImportResult()
    with transaction.atomic():
        lock_school(school)
        for form in _validate(school, records):
            if form.instance.pk is None:
                result.created += 1
            elif form.has_changed():
                result.updated += 1
            else:
                result.unchanged += 1
                continue
            organisation_save(organisation=form.save(commit=False), by=by)
    return result
