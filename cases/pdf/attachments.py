"""A dossier's attachments in its PDF: listed with their entry in every version, and in
the inspectie version added at the end as appendices, an image as it is and a PDF as
images of its pages.

PDF pages become images with poppler's `pdftoppm` (installed with poppler-utils, as
`pdftotext` is for the tests); where it is missing, the appendix says how many pages the
document has and that they are not included, rather than leaving them out unsaid. A
document whose file no longer matches its sealed hash is never included: the appendix
says so. The parents' and the anonymised versions include no attachment ("bijlage niet
opgenomen"): a drawing or a letter holds names, handwriting and places that no redaction
reaches.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from meldcode.pdf_output import InlineImages

# A scanned letter has a page or three; a long document is cut off with a note.
MAX_PAGES = 20
# Pixels of a page's longest side: readable when printed, and bounded whatever its size.
PAGE_PIXELS = 1400
RENDER_SECONDS = 60

TYPE_LABELS = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}


def type_label(content_type: str) -> str:
    return TYPE_LABELS.get(content_type, content_type)


def pdftoppm() -> str | None:
    return shutil.which("pdftoppm")


def page_count(data: bytes) -> int:
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def pdf_pages_as_png(data: bytes, *, last: int | None = None) -> list[bytes]:
    """The first `last` (MAX_PAGES) pages of a PDF as PNG images, rendered by pdftoppm in
    a folder of its own that is removed afterwards."""
    last = last or MAX_PAGES
    tool = pdftoppm()
    if tool is None:
        raise FileNotFoundError("pdftoppm")
    with tempfile.TemporaryDirectory(prefix="meldcode-pages-") as folder:
        source = Path(folder) / "document.pdf"
        source.write_bytes(data)
        command = [tool, "-png", "-scale-to", str(PAGE_PIXELS), "-f", "1", "-l", str(last)]
        subprocess.run(
            [*command, str(source), str(Path(folder) / "page")],
            check=True,
            capture_output=True,
            timeout=RENDER_SECONDS,
        )
        # page-1.png … or page-01.png …: the same width within one run, so sorting works.
        return [path.read_bytes() for path in sorted(Path(folder).glob("page-*.png"))]


@dataclass
class Appendix:
    number: int
    entry_number: int
    kind: str
    type: str
    images: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def appendix_for(attachment, number: int, entry_number: int, images: InlineImages) -> Appendix:
    """One attachment as an appendix: its images (added to `images`), or why not."""
    from cases.seal import upload_intact

    upload = attachment.upload
    appendix = Appendix(
        number=number,
        entry_number=entry_number,
        kind=str(attachment.get_kind_display()),
        type=type_label(upload.content_type),
    )
    if not upload.path.exists() or not upload_intact(upload):
        appendix.notes.append(
            _(
                "Not included: the file no longer matches its sealed hash (or is missing). "
                "Run verify_dossiers and ask the application manager."
            )
        )
        return appendix
    data = upload.path.read_bytes()
    if upload.content_type != "application/pdf":
        appendix.images.append(images.add(data, upload.content_type))
        return appendix
    pages = page_count(data)
    if pdftoppm() is None:
        appendix.notes.append(
            _(
                "A PDF of %(pages)s page(s). Its pages are not included as images: pdftoppm "
                "(poppler-utils) is not installed on the server. Download the document from "
                "the case page."
            )
            % {"pages": pages}
        )
        return appendix
    try:
        rendered = pdf_pages_as_png(data)
    except (OSError, subprocess.SubprocessError):
        appendix.notes.append(
            _("Its pages could not be rendered. Download the document from the case page.")
        )
        return appendix
    appendix.images += [images.add(png, "image/png") for png in rendered]
    if pages > len(rendered):
        appendix.notes.append(
            _(
                "Pages 1 to %(shown)s of %(pages)s are included; download the document from "
                "the case page for the rest."
            )
            % {"shown": len(rendered), "pages": pages}
        )
    return appendix
