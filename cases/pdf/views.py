"""The dossier PDF: asked for with a POST, made by the worker (`cases.pdf.exports`), shown
waiting, then downloaded once. Every view checks access again; the download writes the
access-log row and asks for a fresh second factor, as the export always did."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.step_up import step_up, step_up_required
from cases.access import get_case_for
from cases.models import Case
from cases.pdf import exports, services
from cases.pdf.models import PdfExport
from cases.pdf.redaction import Version

# How often the waiting page asks again, in seconds: soon at first, then calmly.
POLL_SECONDS = 2
POLL_SECONDS_LONG = 10


@require_http_methods(["GET", "POST"])
@step_up_required(when=lambda kwargs: kwargs.get("version") != "anoniem")
def dossier_pdf(request: HttpRequest, pk: int, version: str) -> HttpResponse:
    """GET: the button that asks for the PDF (where a link, or the second factor asked
    again, lands). POST: queue it and show it waiting."""
    if version not in Version.values:
        raise Http404
    case = get_case_for(request.user, pk)
    if not services.may_export(request.user, case, version):
        raise PermissionDenied
    if request.method == "POST":
        export = exports.pdf_export_request(case=case, version=version, by=request.user)
        return redirect("cases:pdf_export", pk=case.pk, export_id=export.pk)
    return render(request, "cases/pdf/start.html", {"case": case, "version": Version(version)})


def _export_for(request: HttpRequest, pk: int, export_id: int) -> tuple[Case, PdfExport]:
    """The case through the door (404 when it may not be seen), and an export of it that
    this person asked for and may still have (404 for everyone else: nobody learns of
    another's export)."""
    case = get_case_for(request.user, pk)
    export = (
        PdfExport.objects.current()
        .defer("pdf")
        .filter(pk=export_id, case=case, requested_by=request.user)
        .first()
    )
    if export is None:
        raise Http404
    if not services.may_export(request.user, case, export.version):
        raise PermissionDenied
    export.case = case
    return case, export


@require_GET
def pdf_export(request: HttpRequest, pk: int, export_id: int) -> HttpResponse:
    """The export waiting, ready, failed or downloaded. It shows no record of the case, so
    it writes no access-log row; the download does."""
    case, export = _export_for(request, pk, export_id)
    long = export.waited_long()
    shown = f"{export.state}-long" if long else str(export.state)
    if request.headers.get("HX-Request") and request.GET.get("shown") == shown:
        return HttpResponse(status=204)  # the page polling shows this already
    return render(
        request,
        "cases/pdf/export.html",
        {
            "case": case,
            "export": export,
            "version": Version(export.version),
            "waiting": export.state == PdfExport.State.WAITING,
            "waited_long": long,
            "shown": shown,
            "poll_seconds": POLL_SECONDS_LONG if long else POLL_SECONDS,
        },
    )


@require_GET
def pdf_download(request: HttpRequest, pk: int, export_id: int) -> HttpResponse:
    case, export = _export_for(request, pk, export_id)
    if export.version != Version.ANONIEM:
        asked = step_up(request)
        if asked is not None:
            return asked
    if export.state != PdfExport.State.READY:
        return redirect("cases:pdf_export", pk=case.pk, export_id=export.pk)
    try:
        pdf, filename = exports.pdf_export_download(export=export, by=request.user)
    except PdfExport.DoesNotExist:  # downloaded in another tab a moment ago
        return redirect("cases:pdf_export", pk=case.pk, export_id=export.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
