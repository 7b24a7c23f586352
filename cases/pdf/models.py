"""A dossier PDF asked for by one person, made in the background (`cases.pdf.exports`)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.pdf.redaction import Version

# A finished PDF waits this long for its download; then it is forgotten, downloaded or not.
KEEP = dt.timedelta(hours=1)
# Longer than this waiting, and the page says so: most likely no worker is running.
USUAL_WAIT = dt.timedelta(minutes=2)


class PdfExportQuerySet(models.QuerySet):
    def current(self, now: dt.datetime | None = None) -> PdfExportQuerySet:
        """The exports not yet past their hour."""
        return self.filter(requested_at__gt=(now or timezone.now()) - KEEP)

    def expired(self, now: dt.datetime | None = None) -> PdfExportQuerySet:
        return self.filter(requested_at__lte=(now or timezone.now()) - KEEP)


class PdfExport(models.Model):
    """One export of a case's dossier: who asked for which version and when, and how far
    the worker got. Each step is a moment of its own, never a status overwritten. The
    PDF itself is kept here, in the database and never on a web path, only from when it
    is ready until it is downloaded or its hour is up; the whole row goes after that hour
    and with the case's purge. The download is what writes the access-log row."""

    class State(models.TextChoices):
        WAITING = "waiting", _("being prepared")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")
        DOWNLOADED = "downloaded", _("downloaded")

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="pdf_exports", verbose_name=_("case")
    )
    version = models.CharField(_("version"), max_length=16, choices=Version.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    ready_at = models.DateTimeField(_("ready at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    downloaded_at = models.DateTimeField(_("downloaded at"), null=True, blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    filename = models.CharField(max_length=100, blank=True)
    # The access-log action the download writes: `export`, or `anonymised` for the
    # reviewed anonymised copy (as the synchronous export wrote them).
    log_action = models.CharField(max_length=16, blank=True)

    objects = PdfExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("PDF export")
        verbose_name_plural = _("PDF exports")
        indexes = [models.Index(fields=["requested_at"], name="pdf_export_requested_at")]
        constraints = [
            # The PDF exists only between ready and downloaded.
            models.CheckConstraint(
                condition=models.Q(pdf__isnull=True)
                | models.Q(ready_at__isnull=False, downloaded_at__isnull=True),
                name="pdf_export_pdf_only_while_ready",
            ),
            models.CheckConstraint(
                condition=models.Q(ready_at__isnull=True) | models.Q(failed_at__isnull=True),
                name="pdf_export_ready_or_failed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.version} · {self.state}"

    @property
    def state(self) -> str:
        if self.downloaded_at:
            return self.State.DOWNLOADED
        if self.failed_at:
            return self.State.FAILED
        if self.ready_at:
            return self.State.READY
        return self.State.WAITING

    def waited_long(self, now: dt.datetime | None = None) -> bool:
        """Still waiting after the usual time: most likely no worker is running."""
        return (
            self.state == self.State.WAITING
            and (now or timezone.now()) - (self.requested_at) > USUAL_WAIT
        )

    @property
    def expires_at(self) -> dt.datetime:
        return self.requested_at + KEEP
