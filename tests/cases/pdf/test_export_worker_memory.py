"""A worker's memory: the worker (`manage.py db_worker`, started here in a process of its
own as production starts it) makes the inspectie PDF of a dossier of 500 entries with a
read log of 2,000 rows, and stays under 200 MB all the while. It renders each PDF in a
process of its own (`manage.py pdf_export_render`, settings.MELDCODE_PDF_EXPORT_APART),
which gives weasyprint's memory back when it ends: rendered in the worker itself, such a
PDF left it at about 215 MB, and the anonymised copy (deduce) at over 800 MB."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone

from cases.access_log import AccessLog
from cases.dossier.models import Entry
from cases.pdf.exports import pdf_export_request
from cases.pdf.models import PdfExport

pytestmark = pytest.mark.django_db(transaction=True)

LIMIT_MB = 200
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def rss_mb(pid: int) -> float | None:
    """VmRSS of a process from /proc (None once it has ended)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None


def children(pid: int) -> list[int]:
    try:
        return [int(n) for n in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except (FileNotFoundError, ProcessLookupError, ValueError):
        return []


def database_url_for_another_process(tmp_path: Path) -> tuple[str, Path | None]:
    """A DATABASE_URL under which another process sees this test's database. SQLite's
    test database lives in this process's memory: the worker gets a copy in a file."""
    if connection.vendor == "sqlite":
        path = tmp_path / "worker.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}", path
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{quote(db['USER'], safe='')}{password}@{host}/{db['NAME']}", None


def the_pdf(export_id: int, sqlite_file: Path | None) -> bytes:
    if sqlite_file is None:
        return bytes(PdfExport.objects.get(pk=export_id).pdf or b"")
    with sqlite3.connect(sqlite_file) as db:
        row = db.execute(
            f"SELECT pdf FROM {PdfExport._meta.db_table} WHERE id = ?", [export_id]
        ).fetchone()
    return bytes(row[0] or b"")


def long_dossier(case, cast) -> None:
    day = timezone.localdate()
    Entry.objects.bulk_create(
        Entry(
            case=case, author=cast.af, kind="observation", occurred_on=day, place="Klas",
            situation="Kringgesprek",
            description=f"Waarneming {n}: het kind was stil in de kring en at niet.",
        )
        for n in range(500)
    )  # fmt: skip
    last = (
        AccessLog.objects.filter(school_id=case.school_id).order_by("-pk").first()
    )  # the chain goes on from its head, as the bench's generator writes it
    previous, rows, now = (last.row_hash if last else ""), [], timezone.now()
    for n in range(2000):
        reader = (cast.af, cast.ib, cast.directie)[n % 3]
        row = AccessLog(
            at=now - dt.timedelta(minutes=2000 - n), user=reader,
            username=reader.username, case_id=case.pk, action="view",
            school_id=case.school_id, prev_hash=previous,
        )  # fmt: skip
        row.digest = row.compute_digest()
        row.row_hash = previous = row.compute_hash()
        rows.append(row)
    AccessLog.objects.bulk_create(rows)


def test_the_worker_stays_under_200_mb_making_the_pdf_of_500_entries(
    cast, full_case, settings, tmp_path
):
    settings.TASKS = DATABASE_QUEUE
    long_dossier(full_case, cast)
    export = pdf_export_request(case=full_case, version="inspectie", by=cast.af)
    url, sqlite_file = database_url_for_another_process(tmp_path)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "MELDCODE_SECRETS_KEY": settings.MELDCODE_SECRETS_KEY,
        "MELDCODE_PDF_EXPORT_APART": "1",
    }
    log = (tmp_path / "worker.log").open("w+")
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload",
         "--no-startup-delay", "--interval", "0"],
        cwd=settings.BASE_DIR, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
    )  # fmt: skip
    worker_mb, render_mb = [], []
    started = time.monotonic()
    while worker.poll() is None and time.monotonic() - started < 600:
        if (mb := rss_mb(worker.pid)) is not None:
            worker_mb.append(mb)
        render_mb.extend(mb for child in children(worker.pid) if (mb := rss_mb(child)))
        time.sleep(0.05)
    if worker.poll() is None:
        worker.kill()
    log.seek(0)
    assert worker.wait() == 0, log.read()[-2000:]
    pdf = the_pdf(export.pk, sqlite_file)
    assert pdf.startswith(b"%PDF-") and len(pdf) > 50_000  # the PDF of 500 entries was made
    peak = max(worker_mb)
    print(f"\nworker peak {peak:.0f} MB, last {worker_mb[-1]:.0f} MB; render process peak "
          f"{max(render_mb, default=0):.0f} MB")  # fmt: skip
    assert peak < LIMIT_MB, f"the worker reached {peak:.0f} MB"
    assert worker_mb[-1] < LIMIT_MB
