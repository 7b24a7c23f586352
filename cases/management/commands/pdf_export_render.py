"""Render one waiting dossier PDF export. The worker's task starts this in a process of
its own (`cases.pdf.exports.pdf_export_render_apart`), so its memory goes when it ends."""

from django.core.management.base import BaseCommand

from cases.pdf.exports import pdf_export_render


class Command(BaseCommand):
    help = "Renders one waiting dossier PDF export (the worker starts this; prints nothing)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("export_id", type=int)

    def handle(self, *args, export_id: int, **options) -> None:
        pdf_export_render(export_id=export_id)
