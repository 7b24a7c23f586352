"""The real queue: an export waits in the database until the worker (`manage.py
db_worker`, as `make run` and production start it) runs its task; then the page offers
the download. On SQLite and on PostgreSQL alike (CI runs both). The worker runs in this
process here (`--batch`: what is due, then it stops), so the test sees what it did."""

import datetime as dt
import signal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cases.access_log import AccessLog
from cases.pdf.models import PdfExport
from tests.cases.pdf.exporting import download_url, export_of, start

# The worker commits as it goes, as it does in production: no test transaction around it.
pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
FORGET = "cases.pdf.tasks.forget_pdf_exports"


@pytest.fixture
def database_queue(settings):
    """The database queue of production instead of the tests' at-once one. The worker
    takes over SIGINT and SIGTERM for its graceful stop: given back after."""
    settings.TASKS = DATABASE_QUEUE
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    yield
    for number, handler in handlers.items():
        signal.signal(number, handler)


def run_worker() -> None:
    call_command(
        "db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0",
        verbosity=0, stdout=StringIO(),
    )  # fmt: skip


def test_the_export_waits_for_the_worker_which_makes_it(
    cast, full_case, client_for, database_queue
):
    client = client_for(cast.af)
    export = export_of(start(client, full_case, "inspectie"))
    assert export.state == "waiting"
    task = DBTaskResult.objects.get(id=export.task_id)
    # The queue holds the export's number, never a word of the dossier.
    assert (task.status, task.task_path) == ("READY", "cases.pdf.tasks.render_pdf_export")
    assert task.args_kwargs == {"args": [export.pk], "kwargs": {}}
    url = reverse("cases:pdf_export", args=[full_case.pk, export.pk])
    assert "Het dossier wordt klaargemaakt…" in client.get(url).content.decode()

    run_worker()

    export.refresh_from_db()
    task.refresh_from_db()
    assert export.state == "ready" and bytes(export.pdf).startswith(b"%PDF-")
    assert task.status == "SUCCESSFUL"
    assert "Download de pdf" in client.get(url).content.decode()
    response = client.get(download_url(export))
    assert response["Content-Type"] == "application/pdf" and response["Cache-Control"] == "no-store"
    row = AccessLog.objects.filter(case_id=full_case.pk).order_by("-pk").first()
    assert (row.user, row.action) == (cast.af, AccessLog.Action.EXPORT)


def test_the_worker_forgets_the_export_when_its_hour_is_up(
    cast, full_case, client_for, database_queue
):
    export = export_of(start(client_for(cast.af), full_case, "inspectie"))
    run_worker()
    forget = DBTaskResult.objects.get(task_path=FORGET)
    assert forget.status == "READY"  # queued for the moment the hour is up, not before
    assert abs(forget.run_after - export.expires_at) < dt.timedelta(seconds=1)
    assert PdfExport.objects.filter(pk=export.pk, pdf__isnull=False).exists()

    # An hour later (not downloaded):
    PdfExport.objects.filter(pk=export.pk).update(
        requested_at=timezone.now() - dt.timedelta(hours=1, seconds=1)
    )
    DBTaskResult.objects.filter(pk=forget.pk).update(run_after=timezone.now())
    run_worker()
    forget.refresh_from_db()
    assert forget.status == "SUCCESSFUL" and forget.return_value == 1
    assert not PdfExport.objects.exists()
