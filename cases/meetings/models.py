"""Talks about a case: planned (and moved or cancelled), then reported, signed and
followed up with agreements. The report is kept as recorded and appears in the dossier;
later remarks are follow-up entries that point at it."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.append_only import AppendOnlyModel, append_only_trigger


class Meeting(models.Model):
    class Kind(models.TextChoices):
        PARENTS = "parents", _("talk with the parents")
        PUPIL = "pupil", _("talk with the pupil")
        CARE_TEAM = "care_team", _("zorgteam")
        MDO = "mdo", _("MDO (multidisciplinary, parents always invited)")
        CASUISTRY = "casuistry", _("casuïstiekoverleg")

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="meetings", verbose_name=_("case")
    )
    kind = models.CharField(_("kind of talk"), max_length=16, choices=Kind.choices)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    agenda = models.TextField(_("agenda"))
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="meetings", verbose_name=_("staff taking part")
    )
    others = models.TextField(
        _("others taking part (name and role)"),
        blank=True,
        help_text=_("One per line, for example: mother; father; M. de Vries, wijkteam."),
    )
    teacher_stays_out = models.BooleanField(
        _("the teacher stays out of this talk, to protect the relationship"), default=False
    )
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("planned by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("talk")
        verbose_name_plural = _("talks")
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.starts_at:%Y-%m-%d %H:%M}"

    class Status(models.TextChoices):
        """Where the talk stands: computed from what is recorded, never stored."""

        PLANNED = "planned", _("planned")
        REPORT_DUE = "report_due", _("report to write")
        REPORTED = "reported", _("reported")
        CANCELLED = "cancelled", _("cancelled")

    @property
    def has_report(self) -> bool:
        """Without a query when the report was prefetched or selected."""
        try:
            self.report  # noqa: B018
        except MeetingReport.DoesNotExist:
            return False
        return True

    def status_at(self, now: dt.datetime) -> Meeting.Status:
        if self.cancelled_at:
            return self.Status.CANCELLED
        if self.has_report:
            return self.Status.REPORTED
        return self.Status.REPORT_DUE if self.starts_at <= now else self.Status.PLANNED

    @property
    def status(self) -> Meeting.Status:
        return self.status_at(timezone.now())


class MeetingReport(AppendOnlyModel):
    meeting = models.OneToOneField(
        Meeting, on_delete=models.PROTECT, related_name="report", verbose_name=_("talk")
    )
    report = models.TextField(_("report"))
    reaction = models.TextField(
        _("the parents' (or pupil's) own reaction, also where they disagree")
    )
    entry = models.OneToOneField(
        "cases.Entry",
        on_delete=models.PROTECT,
        related_name="meeting_report",
        verbose_name=_("dossier entry"),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report of a talk")
        verbose_name_plural = _("reports of talks")
        triggers = [append_only_trigger("meeting_report_append_only")]

    def __str__(self) -> str:
        return f"{self.meeting_id}"


class Agreement(models.Model):
    """One agreement of a talk: what, who, by when; marked done later (with history)."""

    report = models.ForeignKey(
        MeetingReport, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("report")
    )
    description = models.TextField(_("agreement"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("who"),
    )
    due_on = models.DateField(_("by when"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id} · {self.due_on}"


class StaffSignature(AppendOnlyModel):
    report = models.ForeignKey(
        MeetingReport, on_delete=models.PROTECT, related_name="signatures", verbose_name=_("report")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("who")
    )
    at = models.DateTimeField(_("signed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        triggers = [append_only_trigger("staff_signature_append_only")]
        constraints = [
            models.UniqueConstraint(fields=["report", "user"], name="staff_signature_once")
        ]

    def __str__(self) -> str:
        return f"{self.report_id} · {self.user_id}"


class ParentSignoff(AppendOnlyModel):
    """The parents signed the report on paper (the scan is kept), or refused to sign."""

    class Status(models.TextChoices):
        SIGNED = "signed", _("signed on paper")
        REFUSED = "refused", _("refused to sign")

    report = models.OneToOneField(
        MeetingReport,
        on_delete=models.PROTECT,
        related_name="parent_signoff",
        verbose_name=_("report"),
    )
    status = models.CharField(_("the parents"), max_length=16, choices=Status.choices)
    on = models.DateField(_("date"))
    scan = models.ForeignKey(
        "cases.Upload",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scan of the signed report"),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sign-off of the parents")
        verbose_name_plural = _("sign-offs of the parents")
        triggers = [append_only_trigger("parent_signoff_append_only")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="signed") | models.Q(scan__isnull=False),
                name="parent_signoff_signed_has_scan",
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id} · {self.status}"
