"""The dossier PDF outside the request: asked for on the page, made by the worker, handed
over once.

- `pdf_export_request` (the view, after its access checks) records who asked for which
  version of which case and queues the task, in one transaction: the queue is the same
  database, so the export and its task exist together or not at all.
- The worker (`manage.py db_worker`) runs `cases.pdf.tasks.render_pdf_export`, which
  starts `manage.py pdf_export_render` in a process of its own: weasyprint's layout of a
  long dossier, and deduce for the anonymised copy, take hundreds of MB that a finished
  Python process gives back, so the worker stays small. The render asks again whether
  the person may still export the version; what goes wrong marks the export failed, and
  the log names the export and the kind of error, never a word of the dossier.
- `pdf_export_download` hands the PDF over once, to the person who asked, and writes the
  access-log row the export always wrote (`export`, or `anonymised` for the reviewed
  anonymised copy). The PDF is forgotten at once; the row of the export an hour after it
  was asked for (`pdf_exports_forget`, queued by the worker and run by the nightly
  purge too), and with the case's purge.
"""

from __future__ import annotations

import logging
import subprocess
import sys

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation

from cases.access import may_view
from cases.access_log import AccessLog, access_log_write
from cases.models import Case
from cases.pdf.models import PdfExport
from cases.pdf.redaction import Version
from cases.pdf.services import may_export, pdf_filename, pdf_render
from meldcode.models import User

logger = logging.getLogger(__name__)


def pdf_export_request(*, case: Case, version: str, by: User) -> PdfExport:
    """Queue a PDF of `case` in `version` for `by`. While the same person's export of the
    same case and version still waits, that one is the answer: a second click queues
    nothing."""
    from cases.pdf.tasks import render_pdf_export

    if not may_export(by, case, version):
        raise PermissionDenied
    with transaction.atomic():
        pdf_exports_forget()
        waiting = (
            PdfExport.objects.current()
            .filter(case=case, version=version, requested_by=by)
            .filter(ready_at=None, failed_at=None)
            .order_by("-pk")
            .first()
        )
        if waiting is not None:
            return waiting
        export = PdfExport.objects.create(case=case, version=Version(version), requested_by=by)
        result = render_pdf_export.enqueue(export.pk)
        PdfExport.objects.filter(pk=export.pk).update(task_id=str(result.id)[:64])
    return export


def pdf_export_render(*, export_id: int) -> None:
    """Make the PDF of a waiting export and keep it for its download. Nothing to do for an
    export that is done, failed or forgotten (past its hour, or purged with its case)."""
    export = (
        PdfExport.objects.current()
        .filter(pk=export_id, ready_at=None, failed_at=None)
        .select_related("case__school", "case__pupil", "requested_by")
        .first()
    )
    if export is None:
        return
    try:
        # In the school's language, also in the worker, which serves no request.
        with translation.override(settings.LANGUAGE_CODE):
            pdf, filename, action = _render(export)
    except Exception as error:
        # The kind of error only: its message may quote the dossier.
        logger.error("PDF export %s failed: %s", export.pk, type(error).__name__)
        _fail(export.pk)
        return
    PdfExport.objects.filter(pk=export.pk, ready_at=None, failed_at=None).update(
        pdf=pdf, filename=filename, log_action=action, ready_at=timezone.now()
    )


def _render(export: PdfExport) -> tuple[bytes, str, str]:
    case, by, version = export.case, export.requested_by, Version(export.version)
    # Asked again: access may have been withdrawn since the click.
    if not (by.is_active and may_view(by, case) and may_export(by, case, version)):
        raise PermissionDenied
    if version == Version.ANONIEM:
        from cases.inzage.anonymised import anonymised_pdf

        return anonymised_pdf(case=case, by=by)
    pdf = pdf_render(case=case, version=version, by=by, log=False)
    return pdf, pdf_filename(case, version), AccessLog.Action.EXPORT


def _fail(export_id: int) -> int:
    return PdfExport.objects.filter(pk=export_id, ready_at=None, failed_at=None).update(
        failed_at=timezone.now()
    )


def pdf_export_render_apart(*, export_id: int) -> None:
    """`pdf_export_render` in a Python process of its own (`manage.py pdf_export_render`),
    which gives its memory back when it ends. An export that process left waiting (it
    crashed, was killed, or ran past the timeout) has failed."""
    command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "pdf_export_render"]
    try:
        ended = subprocess.run(  # our own interpreter and command, no shell
            [*command, str(export_id)],
            cwd=settings.BASE_DIR,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            timeout=settings.MELDCODE_PDF_EXPORT_TIMEOUT_SECONDS,
            check=False,
        ).returncode
    except subprocess.TimeoutExpired:
        ended = "timeout"
    if _fail(export_id):
        logger.error("PDF export %s failed: the render process ended with %s", export_id, ended)


def pdf_export_download(*, export: PdfExport, by: User) -> tuple[bytes, str]:
    """Hand the PDF over, once, to whoever asked for it: one access-log row, and the PDF
    is forgotten in the same transaction. PdfExport.DoesNotExist when it is no longer
    there (downloaded a moment ago, or past its hour)."""
    with transaction.atomic():
        ready = (
            PdfExport.objects.select_for_update()
            .current()
            .filter(ready_at__isnull=False, downloaded_at=None, pdf__isnull=False)
            .get(pk=export.pk, requested_by=by)
        )
        access_log_write(
            user=by, case_id=ready.case_id, action=ready.log_action, school_id=export.case.school_id
        )
        pdf = bytes(ready.pdf)
        PdfExport.objects.filter(pk=ready.pk).update(pdf=None, downloaded_at=timezone.now())
    return pdf, ready.filename


def pdf_exports_forget() -> int:
    """Forget every export past its hour, with its PDF, downloaded or not."""
    deleted, _by_model = PdfExport.objects.expired().delete()
    return deleted
