import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meldcode.csv_table import ImportRefused
from socialmap.csv_io import COLUMNS, organisations_export, organisations_import
from socialmap.models import Category, Organisation
from socialmap.services import organisation_archive, school_seed_socialmap
from tests.socialmap.factories import OrganisationFactory

FIELDS = ["name", "category", "contact_person", "address", "phone", "email", "website", "notes"]
HEADER = ";".join(COLUMNS)


def entries_of(school) -> list[tuple]:
    rows = Organisation.objects.of_school(school).active().order_by("name")
    return [tuple(row) for row in rows.values_list(*FIELDS, "last_checked")]


def csv_bytes(*rows: str) -> bytes:
    return "\r\n".join([HEADER, *rows]).encode("utf-8")


@pytest.fixture
def filled(cast, entry):
    school_seed_socialmap(school=cast.school)
    OrganisationFactory(
        school=cast.school,
        name='Crisisdienst "Testregio"; nacht',
        category=Category.EMERGENCY,
        notes="Eerste regel\nTweede regel, met komma",
        website="https://www.example.invalid/crisis",
    )
    return cast.school


def test_export_has_dutch_columns_and_categories(filled):
    text = organisations_export(school=filled)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == list(COLUMNS)
    assert rows[0][:2] == ["naam", "categorie"]
    category_of = {row[0]: row[1] for row in rows[1:]}
    assert category_of["Veilig Thuis"] == "Veilig Thuis"
    assert category_of["Politie alarmnummer"] == "spoed en crisis"


def test_export_then_import_gives_the_same_entries(filled, cast):
    before = entries_of(filled)
    data = organisations_export(school=filled).encode("utf-8")
    result = organisations_import(school=filled, data=data, by=cast.af)
    assert (result.created, result.updated) == (0, 0)
    assert result.unchanged == len(before)
    assert entries_of(filled) == before


def test_an_export_imported_into_another_school_recreates_every_entry(filled, cast):
    data = organisations_export(school=filled).encode("utf-8")
    result = organisations_import(school=cast.other_school, data=data, by=cast.af)
    assert result.created == len(entries_of(filled))
    assert entries_of(cast.other_school) == entries_of(filled)


def test_import_updates_the_entry_with_the_same_name_and_category(cast, entry):
    row = "WIJKTEAM TESTDORP;CJG en wijkteam;;Nieuwe straat 2;0118-999999;;;;01-02-2025"
    result = organisations_import(school=cast.school, data=csv_bytes(row), by=cast.af)
    assert (result.created, result.updated) == (0, 1)
    entry.refresh_from_db()
    assert entry.phone == "0118-999999"
    assert entry.address == "Nieuwe straat 2"
    assert entry.history.first().history_user == cast.af


def test_every_bad_row_is_named_and_nothing_is_imported(cast):
    rows = [
        "Goed;overig;;;112;;;;",
        "Slecht nummer;overig;;;12345;;;;",
        ";overig;;;;;;;",
        "Slechte mail;GGZ;;;;info@intervence;;;",
        "Onbekend;tandarts;;;;;;;",
        "Goed;overig;;;;;;;",
    ]
    with pytest.raises(ImportRefused) as refused:
        organisations_import(school=cast.school, data=csv_bytes(*rows), by=cast.af)
    errors = refused.value.errors
    assert errors[0].startswith("Rij 3: telefoon: Dit is geen Nederlands telefoonnummer")
    assert errors[1].startswith("Rij 4: naam: Dit veld is verplicht")
    assert errors[2].startswith("Rij 5: e-mail: Voer een geldig e-mailadres in")
    assert errors[3].startswith("Rij 6: categorie:")
    assert errors[4] == "Rij 7: dezelfde organisatie en categorie als rij 2."
    assert len(errors) == 5
    assert not Organisation.objects.of_school(cast.school).exists()


def test_a_file_with_wrong_columns_is_refused(cast):
    with pytest.raises(ImportRefused) as refused:
        organisations_import(school=cast.school, data=b"naam;telefoon\r\nX;112", by=cast.af)
    assert refused.value.errors[0].startswith("Ontbrekende kolommen: categorie")


def test_export_view_is_for_every_reader(cast, client_for, entry):
    response = client_for(cast.leerkracht).get(reverse("socialmap:export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "Wijkteam Testdorp" in response.content.decode("utf-8-sig")
    assert client_for(cast.outsider).get(reverse("socialmap:export")).status_code == 403
    assert client_for(cast.af).post(reverse("socialmap:export")).status_code == 405


def test_import_view_imports_for_editors(cast, client_for):
    upload = SimpleUploadedFile(
        "kaart.csv", csv_bytes("GGD Testregio;jeugdgezondheidszorg (GGD);;;;;;;")
    )
    response = client_for(cast.ib).post(reverse("socialmap:import"), {"file": upload})
    assert response.status_code == 302
    assert Organisation.objects.filter(school=cast.school, category=Category.YOUTH_HEALTH).exists()


def test_import_view_lists_the_bad_rows(cast, client_for):
    upload = SimpleUploadedFile("kaart.csv", csv_bytes("X;overig;;;0800-1;;;;"))
    response = client_for(cast.af).post(reverse("socialmap:import"), {"file": upload})
    assert response.status_code == 200
    assert "Er is niets geïmporteerd" in response.text
    assert "Rij 2: telefoon:" in response.text


@pytest.mark.parametrize("role", ["leerkracht", "bestuur"])
def test_readers_may_not_import(cast, client_for, role):
    upload = SimpleUploadedFile("kaart.csv", csv_bytes("X;overig;;;;;;;"))
    client = client_for(getattr(cast, role))
    assert client.get(reverse("socialmap:import")).status_code == 403
    assert client.post(reverse("socialmap:import"), {"file": upload}).status_code == 403
    assert not Organisation.objects.filter(name="X").exists()


def test_a_cell_excel_would_run_as_a_formula_is_exported_as_text_and_imported_back(cast):
    OrganisationFactory(school=cast.school, name="=HYPERLINK(1)", notes="-niet rekenen")
    text = organisations_export(school=cast.school)
    assert "'=HYPERLINK(1)" in text
    assert "'-niet rekenen" in text
    result = organisations_import(school=cast.school, data=text.encode(), by=cast.af)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)


def test_a_row_for_an_archived_organisation_is_refused_not_duplicated(cast):
    archived = OrganisationFactory(school=cast.school, name="MEE Zeeland", category=Category.MEE)
    organisation_archive(organisation=archived, by=cast.af)
    with pytest.raises(ImportRefused) as refused:
        organisations_import(
            school=cast.school, data=csv_bytes("MEE Zeeland;MEE;;;;;;;"), by=cast.af
        )
    assert refused.value.errors == [
        "Rij 2: MEE Zeeland is gearchiveerd; zet haar eerst terug op de sociale kaart, "
        "of laat deze rij weg."
    ]
    assert Organisation.objects.filter(name="MEE Zeeland").count() == 1
