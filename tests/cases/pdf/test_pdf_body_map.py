"""The body map and the attachments in the dossier PDF, read back with pdftotext and
looked at as page images with pdftoppm."""

import io
import re
import shutil
import subprocess

import pikepdf
import pytest
from django.utils import timezone
from django.utils.formats import date_format
from PIL import Image

from cases.dossier.services import entry_add
from cases.models import Entry
from cases.pdf import attachments as pdf_attachments
from cases.pdf.services import pdf_render
from tests.cases.dossier.conftest import OBSERVATION
from tests.cases.pdf.conftest import pdf_text
from tests.cases.uploads import jpeg_with_exif, upload_root  # noqa: F401

GRIP = {
    "region": "back.upper_arm.left",
    "kind": "bruise",
    "size_cm": "4",
    "colour": "blauwpaars",
    "shape": "finger",
    "said": "Het kind zei dat het van het spelen kwam.",
}
BURN = {"region": "front.hand.right", "kind": "burn", "size_cm": "1.5", "colour": "rood"}
BURN["shape"] = "round"

DASH = "\u2013"  # what the table shows when nothing was said

needs_pdftoppm = pytest.mark.skipif(
    not shutil.which("pdftoppm"), reason="pdftoppm (poppler-utils) is needed"
)


@pytest.fixture
def injury(cast, case) -> Entry:
    return entry_add(
        case=case,
        author=cast.leerkracht,
        kind=Entry.Kind.OBSERVATION,
        occurred_on=timezone.localdate(),
        marks=[GRIP, BURN],
        **OBSERVATION,
    )


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()]


def assert_table_of_marks(text: str) -> None:
    """The heading, the header row and a row per mark, as pdftotext -layout reads them."""
    assert "Lichaamskaart" in text
    assert re.search(r"Nr\.\s+Plek op het\s+Soort\s+Grootte\s+Kleur\s+Vorm\s+Wat erover", text)
    rows = lines(text)
    first = next(i for i, line in enumerate(rows) if re.match(r"1\s+linker bovenarm,", line))
    assert re.search(r"blauwe\s+ongeveer.*blauwpaars\s+vingervormig\s+Het kind zei", rows[first])
    assert rows[first + 1].startswith("achterkant")
    second = next(i for i, line in enumerate(rows) if re.match(r"2\s+rechterhand,", line))
    assert re.search(rf"brandwond\s+ongeveer.*rood\s+rond\s+{DASH}", rows[second])
    assert "handpalm" in rows[second + 1]
    assert "4,0" in rows[first] + rows[first + 1] and "1,5" in rows[second] + rows[second + 1]


@pytest.mark.parametrize("version", ["inspectie", "ouders", "anoniem"])
def test_every_version_has_the_table_of_marks_in_its_text_layer(
    cast, case, injury, tmp_path, version
):
    text = pdf_text(pdf_render(case=case, version=version, by=cast.af), tmp_path)
    assert_table_of_marks(text)


def test_the_anonymised_body_map_carries_no_date(cast, case, injury, tmp_path):
    text = pdf_text(pdf_render(case=case, version="anoniem", by=cast.af), tmp_path)
    assert date_format(injury.occurred_on, "j F Y") not in text
    assert str(timezone.localdate().year) not in text
    assert "Waarneming dag 0" in text


@needs_pdftoppm
def test_the_page_image_shows_the_outline_with_the_marks(cast, case, injury, tmp_path):
    """Look at the page as a reader would: the page with the body map has the outline's
    chosen places shaded and the numbered marks as red dots."""
    pdf = pdf_render(case=case, version="inspectie", by=cast.af)
    path = tmp_path / "dossier.pdf"
    path.write_bytes(pdf)
    with pikepdf.open(io.BytesIO(pdf)) as document:
        count = len(document.pages)
    page = next(
        n
        for n in range(1, count + 1)
        if "Lichaamskaart" in subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"],
            capture_output=True, text=True, check=True,
        ).stdout
    )  # fmt: skip
    subprocess.run(
        ["pdftoppm", "-png", "-r", "100", "-f", str(page), "-l", str(page), str(path),
         str(tmp_path / "page")],
        check=True,
    )  # fmt: skip
    image = Image.open(next(tmp_path.glob("page-*.png"))).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20)

    def pixels_near(rgb: tuple[int, int, int]) -> int:
        return sum(
            n for n, c in colours if all(abs(a - b) <= 12 for a, b in zip(c, rgb, strict=True))
        )

    assert pixels_near((0xB3, 0x26, 0x1E)) > 40  # the numbered dots (and the table's numbers)
    assert pixels_near((0xF2, 0xC4, 0xB8)) > 200  # two places shaded on the outline


# --- attachments --------------------------------------------------------------------------


def images_in(pdf: bytes) -> int:
    """How many different images the PDF holds (WeasyPrint lists each on every page)."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        found = {image.objgen for page in document.pages for image in page.get_images().values()}
        return len(found)


def pdf_of_pages(pages: int) -> io.BytesIO:
    document = pikepdf.new()
    for _ in range(pages):
        document.add_blank_page(page_size=(595, 842))
    out = io.BytesIO()
    document.save(out)
    out.seek(0)
    out.name = "brief.pdf"
    return out


def attach(cast, case, *files):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pairs = []
    for file, kind in files:
        if isinstance(file, io.BytesIO):
            file = SimpleUploadedFile(file.name, file.getvalue())
        pairs.append((file, kind))
    return entry_add(
        case=case,
        author=cast.leerkracht,
        kind=Entry.Kind.HYPOTHESIS,
        description="Het kind tekende een boos gezicht.",
        attachments=pairs,
    )


def test_the_inspectie_version_adds_an_image_attachment_as_an_appendix(cast, case, tmp_path):
    entry = attach(cast, case, (jpeg_with_exif(), "drawing"))
    pdf = pdf_render(case=case, version="inspectie", by=cast.af)
    text = pdf_text(pdf, tmp_path)
    assert "Tekening van het kind (JPEG), zie bijlage 1" in text
    assert "Bijlage 1: tekening van het kind" in text
    assert f"Bij aantekening #{entry.pk} · JPEG" in text
    assert images_in(pdf) == 1


@needs_pdftoppm
def test_a_pdf_attachment_becomes_images_of_its_pages(cast, case, tmp_path):
    attach(cast, case, (pdf_of_pages(3), "letter"))
    pdf = pdf_render(case=case, version="inspectie", by=cast.af)
    assert "Bijlage 1: brief" in pdf_text(pdf, tmp_path)
    assert images_in(pdf) == 3


@needs_pdftoppm
def test_a_long_pdf_attachment_is_cut_off_with_a_note(cast, case, tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_attachments, "MAX_PAGES", 2)
    attach(cast, case, (pdf_of_pages(3), "letter"))
    pdf = pdf_render(case=case, version="inspectie", by=cast.af)
    assert "Pagina 1 tot en met 2 van 3 zijn opgenomen" in pdf_text(pdf, tmp_path)
    assert images_in(pdf) == 2


def test_without_pdftoppm_the_pages_of_a_pdf_are_counted_not_included(
    cast, case, tmp_path, monkeypatch
):
    monkeypatch.setattr(pdf_attachments, "pdftoppm", lambda: None)
    attach(cast, case, (pdf_of_pages(3), "letter"))
    pdf = pdf_render(case=case, version="inspectie", by=cast.af)
    text = " ".join(pdf_text(pdf, tmp_path).split())
    assert "Een PDF van 3 pagina('s). De pagina's zijn niet als afbeelding opgenomen" in text
    assert images_in(pdf) == 0


@pytest.mark.parametrize("version", ["ouders", "anoniem"])
def test_the_parents_and_anonymised_versions_list_attachments_as_not_included(
    cast, case, tmp_path, version
):
    attach(cast, case, (jpeg_with_exif(), "drawing"), (pdf_of_pages(1), "letter"))
    pdf = pdf_render(case=case, version=version, by=cast.af)
    text = " ".join(pdf_text(pdf, tmp_path).split())
    assert (
        "Tekening van het kind (JPEG), bijlage niet opgenomen; Brief (PDF), bijlage niet "
        "opgenomen" in text
    )
    assert "Bijlage 1" not in text
    assert images_in(pdf) == 0


def test_an_attachment_whose_file_was_replaced_is_not_included(cast, case, tmp_path):
    entry = attach(cast, case, (jpeg_with_exif(), "drawing"))
    path = entry.attachments.get().upload.path
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    pdf = pdf_render(case=case, version="inspectie", by=cast.af)
    text = " ".join(pdf_text(pdf, tmp_path).split())
    assert "Niet opgenomen: het bestand komt niet meer overeen met zijn verzegelde hash" in text
    assert images_in(pdf) == 0
