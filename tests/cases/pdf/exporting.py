"""The dossier PDF as the page asks for it: a POST that queues the export, its waiting
page, and the download. Tests run the queue at once (settings.TASKS), so the export is
ready by the time the POST answers."""

from __future__ import annotations

from django.urls import resolve, reverse

from cases.pdf.models import PdfExport


def start(client, case, version: str):
    return client.post(reverse("cases:pdf", args=[case.pk, version]))


def export_of(started) -> PdfExport:
    """The export a started POST redirected to."""
    assert started.status_code == 302, started.status_code
    return PdfExport.objects.get(pk=resolve(started["Location"]).kwargs["export_id"])


def download_url(export: PdfExport) -> str:
    return reverse("cases:pdf_download", args=[export.case_id, export.pk])


def export_and_download(client, case, version: str):
    """Ask for the PDF, look at its waiting page, download it: the download's response."""
    started = start(client, case, version)
    export = export_of(started)
    assert client.get(started["Location"]).status_code == 200
    return client.get(download_url(export))
