"""The one CSV writer: every export escapes cells a spreadsheet would run as a formula."""

import csv
import io

import pytest
from django.urls import reverse

from meldcode.csv_table import cell_in, cell_out, write_table


def read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


@pytest.mark.parametrize(
    "value", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(1)", "\tTAB", "\rCR"]
)
def test_a_cell_a_spreadsheet_would_run_as_a_formula_starts_with_a_quote(value):
    assert cell_out(value) == f"'{value}"
    assert cell_in(cell_out(value)) == value


@pytest.mark.parametrize("value", ["Dossiervorming", "< 5", "12", "01-08-2025 - 31-07-2026", ""])
def test_an_ordinary_cell_is_written_as_it_is(value):
    assert cell_out(value) == value


def test_the_writer_escapes_every_cell_and_writes_none_as_empty():
    rows = read(write_table([["=1+1", None, 7], ["a;b", "@x", "gewoon"]]))
    assert rows == [["'=1+1", "", "7"], ["a;b", "'@x", "gewoon"]]


def test_a_formula_in_the_sociale_kaart_export_starts_with_a_quote(cast, client_for):
    from tests.socialmap.factories import OrganisationFactory

    OrganisationFactory(school=cast.school, name='=HYPERLINK("http://x")')
    response = client_for(cast.af).get(reverse("socialmap:export"))
    assert response["Cache-Control"] == "no-store"
    names = [row[0] for row in read(response.content.decode())[1:]]
    assert '\'=HYPERLINK("http://x")' in names
