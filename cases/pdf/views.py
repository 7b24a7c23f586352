"""The dossier as a PDF attachment. The view checks access; the service does the rest."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from accounts.step_up import step_up_required
from cases.access import get_case_for
from cases.pdf import services
from cases.pdf.redaction import Version


@require_GET
@step_up_required(when=lambda kwargs: kwargs.get("version") != "anoniem")
def dossier_pdf(request: HttpRequest, pk: int, version: str) -> HttpResponse:
    if version not in Version.values:
        raise Http404
    case = get_case_for(request.user, pk)
    if not services.may_export(request.user, case, version):
        raise PermissionDenied
    if version == Version.ANONIEM:
        # Reviewed for the dossier as it is, or else the draft "zonder naam (concept)".
        from cases.inzage.anonymised import anonymised_render

        pdf, filename = anonymised_render(case=case, by=request.user)
    else:
        pdf = services.pdf_render(case=case, version=version, by=request.user)
        filename = services.pdf_filename(case, version)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
