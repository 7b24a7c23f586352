"""The background tasks of the dossier PDF (Django's tasks framework; the worker is
`manage.py db_worker`). Their arguments are ids only: the queue holds no dossier content."""

from __future__ import annotations

from django.conf import settings
from django.tasks import task

from cases.pdf import exports
from cases.pdf.models import PdfExport


@task
def render_pdf_export(export_id: int) -> None:
    """Make the PDF of one export, then queue the moment its hour is up."""
    if settings.MELDCODE_PDF_EXPORT_APART:
        exports.pdf_export_render_apart(export_id=export_id)
    else:
        exports.pdf_export_render(export_id=export_id)
    export = PdfExport.objects.filter(pk=export_id).only("requested_at").first()
    backend = forget_pdf_exports.get_backend()
    if export is not None and backend.supports_defer:
        forget_pdf_exports.using(run_after=export.expires_at).enqueue()


@task
def forget_pdf_exports() -> int:
    """Forget every export past its hour (`cases.pdf.exports.pdf_exports_forget`)."""
    return exports.pdf_exports_forget()
