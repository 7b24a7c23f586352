import subprocess

import pytest
from django.urls import reverse

from socialmap.models import Category, Organisation
from socialmap.services import school_seed_socialmap
from tests.socialmap.factories import OrganisationFactory

URL = reverse("socialmap:print")


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "kaart.pdf"
    path.write_bytes(pdf)
    run = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return run.stdout.decode("utf-8")


def pdf_pages(pdf: bytes, tmp_path) -> int:
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True).stdout.decode()
    return int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])


@pytest.fixture
def full_map(cast, entry):
    school_seed_socialmap(school=cast.school)
    for n, category in enumerate(Category.values):
        OrganisationFactory(school=cast.school, name=f"Partner {n} {category}", category=category)
    return Organisation.objects.of_school(cast.school).active()


@pytest.mark.parametrize("role", ["leerkracht", "af", "bestuur"])
def test_the_overview_is_a_pdf_for_every_reader(cast, client_for, full_map, role):
    client = client_for(getattr(cast, role))
    client.post(reverse("school_switch"), {"school": cast.school.pk})
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_overview_contains_every_entry_on_one_page(cast, client_for, full_map, tmp_path):
    pdf = client_for(cast.leerkracht).get(URL).content
    text = pdf_text(pdf, tmp_path)
    assert "Sociale kaart van De Testboom" in text
    for organisation in full_map:
        assert organisation.name in text
        assert organisation.phone in text
    assert "spoed en crisis".capitalize() in text
    assert pdf_pages(pdf, tmp_path) == 1


def test_the_overview_leaves_out_archived_entries_and_other_schools(
    cast, client_for, entry, other_entry, tmp_path
):
    archived = OrganisationFactory(school=cast.school, name="Opgeheven Dienst")
    client_for(cast.af).post(reverse("socialmap:archive", args=[archived.pk]))
    text = pdf_text(client_for(cast.leerkracht).get(URL).content, tmp_path)
    assert "Wijkteam Testdorp" in text
    assert "Opgeheven Dienst" not in text
    assert "Geheim Elders" not in text


def test_outsiders_get_no_overview(cast, client_for):
    assert client_for(cast.outsider).get(URL).status_code == 403


def test_the_overview_refuses_post(cast, client_for):
    assert client_for(cast.af).post(URL).status_code == 405
