"""Documents that belong to a case: a signed consent form, the scan of a signed talk
report. Stored outside the web root under a random name, the type read from the
content (never from the name), at most 10 MB, images re-encoded without their metadata
(location, camera, author), PDFs rewritten without scripts, actions, attachments and
metadata (README, "What is stripped from uploads"). Read only through `upload_download`,
which checks access, checks the file against its sealed hash and writes the access log."""

from __future__ import annotations

import hashlib
import io
import uuid
import warnings

import pikepdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from PIL import Image, ImageOps

from accounts.step_up import step_up_required
from cases.access import get_case_for, reads_case
from cases.access_log import AccessLog, access_log_write
from cases.append_only import AppendOnlyModel, append_only_trigger

# What a document may be, by its first bytes.
MAGIC = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}
EXTENSION = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


class Upload(AppendOnlyModel):
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="uploads", verbose_name=_("case")
    )
    stored_name = models.CharField(max_length=64, unique=True, editable=False)
    content_type = models.CharField(gettext_lazy("type"), max_length=32)
    size = models.PositiveIntegerField(gettext_lazy("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=gettext_lazy("uploaded by"),
    )
    at = models.DateTimeField(gettext_lazy("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("document")
        verbose_name_plural = gettext_lazy("documents")
        triggers = [append_only_trigger("upload_append_only")]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.content_type}"

    @property
    def path(self):
        return settings.MELDCODE_UPLOAD_ROOT / self.stored_name

    @property
    def filename(self) -> str:
        return f"document-{self.pk}.{EXTENSION.get(self.content_type, 'bin')}"


def sniff(head: bytes) -> str | None:
    return next((kind for magic, kind in MAGIC.items() if head.startswith(magic)), None)


# An image larger than this is refused from its header, before a single pixel is decoded:
# a 657 KB PNG of 13,000 x 13,000 pixels would otherwise cost 2 GB of memory. A page
# scanned at 300 dpi is about 9 megapixels; a phone photo 12 to 24.
MAX_IMAGE_PIXELS = 25_000_000
# Pillow's own guard at the same bound, for every other place that opens an image.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
PILLOW_FORMATS = {"image/jpeg": {"JPEG", "MPO"}, "image/png": {"PNG"}}


def _image_refused() -> ValidationError:
    return ValidationError(_("This image cannot be read."), code="bad_image")


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _("The image is larger than 25 megapixels: scan or photograph it at a lower resolution."),
        code="too_many_pixels",
    )


def _strip_image(data: bytes, content_type: str) -> bytes:
    """Re-encode the pixels only: EXIF, GPS, text chunks and comments do not survive."""
    png = content_type == "image/png"
    try:
        with warnings.catch_warnings():
            # Pillow warns between one and two times its bound and raises above that.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:  # reads the header only
                if image.format not in PILLOW_FORMATS[content_type]:
                    raise _image_refused()
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise _too_many_pixels()
                image.load()
                # The photo stays upright when its EXIF orientation goes.
                upright = ImageOps.exif_transpose(image)
                wanted = ("RGB", "RGBA", "L", "LA") if png else ("RGB", "L")
                if upright.mode not in wanted:
                    upright = upright.convert("RGBA" if png else "RGB")
                # Saved without `info`, the new file carries no EXIF, GPS, text or comment.
                upright.info = {}
                out = io.BytesIO()
                upright.save(out, format="PNG" if png else "JPEG", quality=90)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels() from error
    except Exception as error:
        # A decoder meeting hostile bytes may fail in many ways (OSError, ValueError,
        # SyntaxError, zlib.error, struct.error...): each is a refusal at the field, not a 500.
        raise _image_refused() from error
    return out.getvalue()


# Actions that leave the document or run something: none survives the rewrite. A link
# within the document (/GoTo) stays.
SAFE_ACTIONS = {"/GoTo"}
# Annotations that carry a file, a movie or a script of their own.
UNSAFE_ANNOTATIONS = {"/FileAttachment", "/Movie", "/Sound", "/Screen", "/RichMedia", "/3D"}
# Keys removed wherever they occur: automatic actions, XMP metadata, embedded and
# associated files.
UNSAFE_KEYS = ("/AA", "/Metadata", "/PieceInfo", "/EF", "/RF", "/AF")


def _pdf_refused() -> ValidationError:
    return ValidationError(
        _("This PDF cannot be read: save or scan it again as a PDF and upload that."),
        code="bad_pdf",
    )


def _pdf_encrypted() -> ValidationError:
    return ValidationError(
        _("This PDF is protected with a password or encrypted: upload it without protection."),
        code="encrypted_pdf",
    )


def _is_unsafe_action(value) -> bool:
    """An action (a dictionary with /S) other than a jump within the document. A /A
    without /S is something else: the attributes of a structure element."""
    if not isinstance(value, pikepdf.Dictionary) or "/S" not in value:
        return False
    return str(value.S) not in SAFE_ACTIONS or "/Next" in value


def _clean_pdf_objects(root: pikepdf.Dictionary) -> None:
    """Remove actions, risky annotations and metadata from every dictionary reachable
    from `root`. Iterative: a long chain of bookmarks is no recursion limit."""
    containers = (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream)
    seen: set[tuple[int, int]] = set()
    todo = [root]
    while todo:
        obj = todo.pop()
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if isinstance(obj, pikepdf.Array):
            todo.extend(item for item in obj if isinstance(item, containers))
            continue
        for key in UNSAFE_KEYS:
            if key in obj:
                del obj[key]
        if "/A" in obj and _is_unsafe_action(obj.A):
            del obj["/A"]
        if isinstance(obj.get("/Annots"), pikepdf.Array):
            obj.Annots = pikepdf.Array(
                [
                    annot
                    for annot in obj.Annots
                    if isinstance(annot, pikepdf.Dictionary)
                    and str(annot.get("/Subtype", "")) not in UNSAFE_ANNOTATIONS
                ]
            )
        for key in obj.keys():  # noqa: SIM118 (a pikepdf Dictionary)
            if key in ("/Parent", "/P"):  # back-references: the tree is walked from the top
                continue
            value = obj[key]
            if isinstance(value, containers):
                todo.append(value)


def _rewrite_pdf(data: bytes) -> bytes:
    """A new PDF with the pages only: no JavaScript, no actions that open, launch or
    fetch anything, no embedded files, no XMP metadata, no document information (author,
    title). The streams are copied as they are, never decompressed."""
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if pdf.is_encrypted:
                raise _pdf_encrypted()
            if len(pdf.pages) == 0:
                raise _pdf_refused()
            root = pdf.Root
            for key in ("/OpenAction", "/AA", "/Metadata", "/PieceInfo", "/Collection"):
                if key in root:
                    del root[key]
            if "/Names" in root:
                for key in ("/JavaScript", "/EmbeddedFiles"):
                    if key in root.Names:
                        del root.Names[key]
                if not root.Names.keys():
                    del root["/Names"]
            if "/AcroForm" in root and "/XFA" in root.AcroForm:
                del root.AcroForm["/XFA"]
            _clean_pdf_objects(root)
            if "/Info" in pdf.trailer:
                del pdf.trailer["/Info"]
            out = io.BytesIO()
            pdf.save(
                out,
                fix_metadata_version=False,
                stream_decode_level=pikepdf.StreamDecodeLevel.none,
                recompress_flate=False,
            )
    except ValidationError:
        raise
    except pikepdf.PasswordError as error:
        raise _pdf_encrypted() from error
    except Exception as error:
        # qpdf meeting hostile bytes fails in its own ways (PdfError, ForeignObjectError,
        # RuntimeError...): each is a refusal at the field, never a 500.
        raise _pdf_refused() from error
    return out.getvalue()


def check_upload(file) -> tuple[bytes, str]:
    """The bytes to store and their type, or a ValidationError with a Dutch message.
    What is stored is never what came in: a PDF is rewritten, an image re-encoded."""
    size = getattr(file, "size", None) or 0
    if size > settings.MELDCODE_UPLOAD_MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."), code="too_large")
    data = file.read(settings.MELDCODE_UPLOAD_MAX_BYTES + 1)
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    if len(data) > settings.MELDCODE_UPLOAD_MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."), code="too_large")
    content_type = sniff(data[:16])
    if content_type is None:
        raise ValidationError(
            _("Upload a PDF, JPEG or PNG file (this file is none of those, whatever its name)."),
            code="bad_type",
        )
    if content_type == "application/pdf":
        data = _rewrite_pdf(data)
    else:
        data = _strip_image(data, content_type)
    return data, content_type


def upload_store(*, case, file, by, field: str | None = None) -> Upload:
    """Store a checked document for `case`. Call inside the action's transaction: the file
    is written first, and a failed transaction leaves only an unreferenced file behind.
    With `field`, a refusal names the form field it belongs next to."""
    try:
        data, content_type = check_upload(file)
    except ValidationError as error:
        raise (ValidationError({field: error}) if field else error) from error
    root = settings.MELDCODE_UPLOAD_ROOT
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    stored_name = uuid.uuid4().hex
    (root / stored_name).write_bytes(data)
    return Upload.objects.create(
        case=case,
        stored_name=stored_name,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=by,
    )


@require_GET
@step_up_required()
@reads_case
def upload_download(request: HttpRequest, pk: int, upload_id: int) -> HttpResponse:
    """A case's document as an attachment, for whoever may see the case; logged. A file
    that no longer matches its sealed hash (replaced on disk, or its row rewritten) is
    never served: the person gets a message, the log a row, the file stays where it is."""
    from django.http import Http404

    from cases.seal import upload_intact

    case = get_case_for(request.user, pk)
    upload = Upload.objects.filter(case=case, pk=upload_id).first()
    if upload is None or not upload.path.exists():
        raise Http404
    return sealed_file_response(
        request, case, upload, intact=upload_intact(upload), content_type=upload.content_type
    )


def sealed_file_response(
    request: HttpRequest, case, stored, *, intact: bool, content_type: str
) -> HttpResponse:
    """A kept file of a case as an attachment, with its read-log row; one that no longer
    matches its seal is never served: the person gets a message, the log a row, the file
    stays where it is. `stored` has `path` and `filename` (an upload, a released copy)."""
    if not intact:
        access_log_write(
            user=request.user,
            case_id=case.pk,
            action=AccessLog.Action.FILE_REFUSED,
            school_id=case.school_id,
        )
        return render(
            request, "cases/upload_refused.html", {"case": case, "upload": stored}, status=409
        )
    access_log_write(
        user=request.user,
        case_id=case.pk,
        action=AccessLog.Action.DOWNLOAD,
        school_id=case.school_id,
    )
    response = FileResponse(
        stored.path.open("rb"),
        as_attachment=True,
        filename=stored.filename,
        content_type=content_type,
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
