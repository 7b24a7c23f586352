"""Documents for tests of the parts that take uploads, and a temporary upload root."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    settings.MELDCODE_UPLOAD_ROOT = tmp_path / "uploads"
    return settings.MELDCODE_UPLOAD_ROOT


def pdf_file(name="toestemming.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


def jpeg_with_exif(name="scan.jpg") -> SimpleUploadedFile:
    from PIL import Image

    image = Image.new("RGB", (40, 30), "white")
    exif = Image.Exif()
    exif[0x010E] = "Geheime beschrijving"  # ImageDescription
    exif[0x013B] = "Fotograaf Testpersoon"  # Artist
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")
