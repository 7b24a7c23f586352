"""The pupil import: all or nothing, every bad row named in Dutch, re-import is harmless."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meldcode.models import Pupil
from meldcode.pupil_import import ImportRefused, pupils_import

HEADER = "voornaam;tussenvoegsel;achternaam;geboortedatum;groep\n"
GOOD = HEADER + "Ada;;Lovelaar;10-12-2016;5\nPim;van;Dijkstra;01-02-2017;4\n"


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


def refusal(school, text: str) -> list[str]:
    with pytest.raises(ImportRefused) as refused:
        pupils_import(school=school, data=csv_bytes(text))
    assert not Pupil.objects.filter(school=school).exclude(last_name="Testhuis").exists()
    return refused.value.errors


def test_good_file_creates_every_pupil(cast):
    result = pupils_import(school=cast.school, data=csv_bytes(GOOD))
    assert result.created == 2
    pim = Pupil.objects.get(school=cast.school, first_name="Pim")
    assert (pim.infix, pim.last_name, pim.date_of_birth, pim.group) == (
        "van",
        "Dijkstra",
        dt.date(2017, 2, 1),
        "4",
    )


def test_reimporting_the_same_file_creates_no_duplicates(cast):
    pupils_import(school=cast.school, data=csv_bytes(GOOD))
    result = pupils_import(school=cast.school, data=csv_bytes(GOOD))
    assert (result.created, result.unchanged) == (0, 2)
    assert Pupil.objects.filter(school=cast.school, first_name__in=["Ada", "Pim"]).count() == 2


def test_reimport_after_the_summer_updates_the_group(cast):
    pupils_import(school=cast.school, data=csv_bytes(GOOD))
    result = pupils_import(school=cast.school, data=csv_bytes(GOOD.replace(";5\n", ";6\n")))
    assert result.updated == 1
    assert Pupil.objects.get(school=cast.school, first_name="Ada").group == "6"


def test_comma_separated_windows_export_is_read(cast):
    text = GOOD.replace(";", ",").replace("\n", "\r\n")
    result = pupils_import(school=cast.school, data=csv_bytes("\ufeff" + text, "utf-8"))
    assert result.created == 2


def test_bad_date_is_named_with_its_row_and_nothing_is_imported(cast):
    errors = refusal(cast.school, GOOD + "Kees;;Boom;31-02-2016;5\n")
    assert errors == ["Rij 4: geboortedatum “31-02-2016” is geen datum (gebruik dd-mm-jjjj)."]


def test_missing_name_is_named_with_its_row(cast):
    errors = refusal(cast.school, HEADER + "Ada;;;10-12-2016;5\n;;Boom;10-12-2016;5\n")
    assert errors == ["Rij 2: achternaam ontbreekt.", "Rij 3: voornaam ontbreekt."]


def test_duplicate_row_in_the_file_is_refused(cast):
    errors = refusal(cast.school, GOOD + "Ada;;Lovelaar;10-12-2016;5\n")
    assert errors == ["Rij 4: dezelfde leerling als rij 2."]


def test_wrong_columns_are_refused_and_named(cast):
    errors = refusal(cast.school, "naam;geboortedatum\nAda Lovelaar;10-12-2016\n")
    assert "Ontbrekende kolommen: voornaam, tussenvoegsel, achternaam, groep." in errors
    assert "Onbekende kolommen: naam." in errors


def test_a_file_that_is_not_csv_is_refused(cast):
    with pytest.raises(ImportRefused) as refused:
        pupils_import(school=cast.school, data=b"%PDF-1.7\x00\x01\x02binary")
    assert refused.value.errors == ["Het bestand is geen CSV-bestand (het bevat binaire gegevens)."]


def test_plain_text_without_columns_is_refused(cast):
    errors = refusal(cast.school, "Dit is een brief aan de ouders.\nMet vriendelijke groet.\n")
    assert errors == [
        "Het bestand is geen CSV-bestand: er zijn geen kolommen gescheiden door ; of , gevonden."
    ]


def test_every_bad_row_is_named_not_only_the_first(cast):
    errors = refusal(cast.school, HEADER + "Ada;;;x;5\nPim;;Boom;1-1-2016;5\n;;;;\nKo;;Li;;3\n")
    assert [error.split(":")[0] for error in errors] == ["Rij 2", "Rij 5"]


class TestImportScreen:
    def upload(self, client, text: str):
        upload = SimpleUploadedFile("leerlingen.csv", text.encode(), content_type="text/csv")
        return client.post(reverse("pupil_import"), {"file": upload})

    def test_ib_imports_and_is_sent_to_the_list(self, cast, client_for):
        response = self.upload(client_for(cast.ib), GOOD)
        assert response.status_code == 302
        assert response["Location"] == reverse("pupil_list")
        assert Pupil.objects.filter(school=cast.school, first_name="Ada").exists()

    def test_bad_file_shows_every_reason_next_to_the_field(self, cast, client_for):
        response = self.upload(client_for(cast.ib), GOOD + "Kees;;Boom;morgen;5\n")
        assert response.status_code == 200
        assert "Er is niets geïmporteerd" in response.text
        assert "Rij 4: geboortedatum “morgen” is geen datum" in response.text
        assert not Pupil.objects.filter(first_name="Ada").exists()

    def test_missing_file_gets_a_dutch_message(self, cast, client_for):
        response = client_for(cast.ib).post(reverse("pupil_import"), {})
        assert "Dit veld is verplicht." in response.text

    def test_teacher_may_not_import(self, cast, client_for):
        assert self.upload(client_for(cast.leerkracht), GOOD).status_code == 403

    def test_import_goes_to_the_current_school_only(self, cast, client_for):
        self.upload(client_for(cast.directie), GOOD)
        assert not Pupil.objects.filter(school=cast.other_school, first_name="Ada").exists()


def test_reimport_with_other_capitals_is_the_same_pupil(cast):
    pupils_import(school=cast.school, data=csv_bytes(GOOD))
    result = pupils_import(
        school=cast.school, data=csv_bytes(GOOD.replace("Ada;;Lovelaar", "ada;;LOVELAAR"))
    )
    assert (result.created, result.unchanged) == (0, 2)
    assert Pupil.objects.filter(school=cast.school, first_name__iexact="ada").count() == 1


def test_separator_comes_from_the_header_not_from_commas_in_the_rows(cast):
    many_commas = HEADER + "Ada;;Lovelaar, van de, der, den, het, een, twee;10-12-2016;5\n"
    result = pupils_import(school=cast.school, data=csv_bytes(many_commas))
    assert result.created == 1
    assert Pupil.objects.get(first_name="Ada").last_name.startswith("Lovelaar, van de")


def test_a_nul_byte_far_into_the_file_is_refused_with_its_line(cast):
    rows = "".join(f"Kind{n};;Achternaam{n};01-02-2017;4\n" for n in range(200))
    text = HEADER + rows + "Nul;;Byte\x00kind;01-02-2017;4\n"
    assert len(text.encode()) > 4096
    errors = refusal(cast.school, text)
    assert any("Regel 202" in error and "U+0000" in error for error in errors), errors


def test_a_right_to_left_override_is_refused(cast):
    errors = refusal(cast.school, HEADER + "Ada;;Love\u202elaar;10-12-2016;5\n")
    assert any("U+202E" in error for error in errors), errors


def test_ten_thousand_rows_import_in_bulk_within_seconds(cast, django_assert_max_num_queries):
    import time

    rows = "".join(
        f"Kind{n};;Achternaam{n // 7};{1 + n % 28:02d}-{1 + n % 12:02d}-{2014 + n % 8};"
        f"{1 + n % 8}\n"
        for n in range(10_000)
    )
    data = (HEADER + rows).encode()
    assert len(data) > 300_000
    started = time.monotonic()
    with django_assert_max_num_queries(40):
        result = pupils_import(school=cast.school, data=data)
    assert result.created == 10_000
    assert time.monotonic() - started < 10  # about 3 ms a row before: 30 s
    again = pupils_import(school=cast.school, data=data)
    assert again.unchanged == 10_000


def test_a_date_of_leaving_is_read_and_never_cleared_by_a_list_without_it(cast):
    pupils_import(
        school=cast.school,
        data=csv_bytes(
            "voornaam;tussenvoegsel;achternaam;geboortedatum;groep;uitschrijfdatum\n"
            "Ada;;Lovelaar;10-12-2016;5;31-07-2025\n"
        ),
    )
    assert Pupil.objects.get(first_name="Ada").left_on == dt.date(2025, 7, 31)
    pupils_import(school=cast.school, data=csv_bytes(GOOD))
    assert Pupil.objects.get(first_name="Ada").left_on == dt.date(2025, 7, 31)
