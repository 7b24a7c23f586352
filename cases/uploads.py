"""Documents that belong to a case: a signed consent form, the scan of a signed talk
report. Stored outside the web root under a random name, the type read from the
content (never from the name), at most 10 MB, images re-encoded without their metadata
(location, camera, author). Read only through `upload_download`, which checks access,
checks the file against its sealed hash and writes the access log."""

from __future__ import annotations

import hashlib
import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

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


def _strip_image(data: bytes, content_type: str) -> bytes:
    """Re-encode the pixels only: EXIF, GPS and comments do not survive."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            png = content_type == "image/png"
            wanted = ("RGB", "RGBA", "L", "LA") if png else ("RGB", "L")
            if image.mode not in wanted:
                image = image.convert("RGBA" if png else "RGB")
            # Only the pixels are copied: a new image carries no EXIF, GPS or comments.
            clean = Image.frombytes(image.mode, image.size, image.tobytes())
            out = io.BytesIO()
            clean.save(out, format="PNG" if png else "JPEG", quality=90)
    except (UnidentifiedImageError, OSError) as error:
        raise ValidationError(_("This image cannot be read."), code="bad_image") from error
    return out.getvalue()


def check_upload(file) -> tuple[bytes, str]:
    """The file's bytes and type, or a ValidationError with a Dutch message."""
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
    if content_type != "application/pdf":
        data = _strip_image(data, content_type)
    return data, content_type


def upload_store(*, case, file, by) -> Upload:
    """Store a checked document for `case`. Call inside the action's transaction: the file
    is written first, and a failed transaction leaves only an unreferenced file behind."""
    data, content_type = check_upload(file)
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
    if not upload_intact(upload):
        access_log_write(
            user=request.user,
            case_id=case.pk,
            action=AccessLog.Action.FILE_REFUSED,
            school_id=case.school_id,
        )
        return render(
            request, "cases/upload_refused.html", {"case": case, "upload": upload}, status=409
        )
    access_log_write(
        user=request.user,
        case_id=case.pk,
        action=AccessLog.Action.DOWNLOAD,
        school_id=case.school_id,
    )
    response = FileResponse(
        upload.path.open("rb"),
        as_attachment=True,
        filename=upload.filename,
        content_type=upload.content_type,
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
