"""Documents for tests of the parts that take uploads, and a temporary upload root."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    settings.MELDCODE_UPLOAD_ROOT = tmp_path / "uploads"
    return settings.MELDCODE_UPLOAD_ROOT


def pdf_bytes() -> bytes:
    """A real PDF of one empty A4 page."""
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def pdf_file(name="toestemming.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes())


def jpeg_with_exif(name="scan.jpg") -> SimpleUploadedFile:
    from PIL import Image

    image = Image.new("RGB", (40, 30), "white")
    exif = Image.Exif()
    exif[0x010E] = "Geheime beschrijving"  # ImageDescription
    exif[0x013B] = "Fotograaf Testpersoon"  # Artist
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_header_claiming(width: int, height: int) -> bytes:
    """A PNG of a few dozen bytes whose header claims `width` x `height` pixels: what a
    decompression bomb looks like before it is decoded."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    idat = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")
    )
