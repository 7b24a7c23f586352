"""The report to Veilig Thuis (step 5b) and what Veilig Thuis answers. Kept as recorded."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.append_only import AppendOnlyModel, append_only_trigger


class NotToldReason(models.TextChoices):
    """The only grounds to report without telling the parents first (seed 002)."""

    CHILD_SAFETY = "child_safety", _("the safety of the child is at stake")
    STAFF_SAFETY = "staff_safety", _("the safety of a staff member is at stake")
    OTHER_SAFETY = "other_safety", _("the safety of someone else is at stake")
    BREAKS_CONTACT = "breaks_contact", _("good reason to expect the family to break contact")


class Report(AppendOnlyModel):
    """One report to Veilig Thuis. The school never reports anonymously: a named staff
    member reports. A new report can follow an earlier one."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="reports", verbose_name=_("case")
    )
    parents_told_on = models.DateField(
        _("parents told of the intended report on"), null=True, blank=True
    )
    parents_not_told_reason = models.CharField(
        _("why the parents were not told"), max_length=16, choices=NotToldReason.choices, blank=True
    )
    parents_not_told_explanation = models.TextField(_("explanation"), blank=True)
    pupil_told_on = models.DateField(_("pupil told on"), null=True, blank=True)
    pupil_not_told_reason = models.TextField(_("why the pupil was not told"), blank=True)
    objections = models.TextField(_("objections of the parents or the pupil"), blank=True)
    objections_weighed = models.TextField(_("how the objections were weighed"), blank=True)
    reported_on = models.DateField(_("reported on"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reference = models.CharField(_("Veilig Thuis's reference"), max_length=100, blank=True)
    decision_expected_by = models.DateField(_("Veilig Thuis decides by"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report to Veilig Thuis")
        verbose_name_plural = _("reports to Veilig Thuis")
        ordering = ["reported_on", "pk"]
        triggers = [append_only_trigger("report_append_only")]
        constraints = [
            models.CheckConstraint(
                condition=Q(parents_told_on__isnull=False) | ~Q(parents_not_told_reason=""),
                name="report_parents_told_or_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.reported_on}"


class ReportException(AppendOnlyModel):
    """Why a case may leave step 5b without a report of its own: Veilig Thuis advised
    that no report is needed, or the noodsituatie call to Veilig Thuis was the report."""

    class Kind(models.TextChoices):
        VT_ADVISED_NO_REPORT = "vt_advised", _("Veilig Thuis advised that no report is needed")
        EMERGENCY_CALL_WAS_REPORT = (
            "emergency_call",
            _("the noodsituatie call to Veilig Thuis was the report"),
        )

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="report_exceptions",
        verbose_name=_("case"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    on = models.DateField(_("date of the contact with Veilig Thuis"))
    vt_employee_role = models.CharField(
        _("role of the Veilig Thuis employee"), max_length=100, blank=True
    )
    reference = models.CharField(_("Veilig Thuis's reference"), max_length=100, blank=True)
    explanation = models.TextField(_("what Veilig Thuis said"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("exception to the report")
        verbose_name_plural = _("exceptions to the report")
        ordering = ["on", "pk"]
        triggers = [append_only_trigger("report_exception_append_only")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="vt_advised") | ~Q(vt_employee_role=""),
                name="report_exception_vt_role_given",
            ),
            models.CheckConstraint(
                condition=~Q(kind="emergency_call") | ~Q(reference=""),
                name="report_exception_emergency_reference_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.kind} · {self.on}"


class Assessment(models.TextChoices):
    """How Veilig Thuis's safety assessment ends (Handelingsprotocol, within 5 working
    days), with what each asks of the school."""

    CLOSE = "close", _("afsluiten: Veilig Thuis closes the report")
    LOCAL = "local", _("overdracht aan het lokale veld: help by others, the school may be one")
    CONDITIONS = "conditions", _("voorwaarden en vervolg: Veilig Thuis sets conditions and follows")
    INVESTIGATION = "investigation", _("onderzoek: Veilig Thuis investigates (about ten weeks)")


ASSESSMENT_ASKS: dict[str, str] = {
    Assessment.CLOSE: _("Keep following the pupil; report again when new signals come."),
    Assessment.LOCAL: _(
        "Take part in the help as agreed; record the help plan and follow its effects."
    ),
    Assessment.CONDITIONS: _(
        "Keep following the pupil and pass new signals to Veilig Thuis at once."
    ),
    Assessment.INVESTIGATION: _(
        "Wait for the conclusion (about ten weeks) and keep following the pupil; ask Veilig "
        "Thuis for it when it does not come."
    ),
}


class Response(AppendOnlyModel):
    """What Veilig Thuis let the school know: the outcome of its safety assessment (within
    5 working days), its conclusion after an onderzoek, and its feedback. Answers recorded
    before the assessment existed say only whether Veilig Thuis took the report on."""

    class Kind(models.TextChoices):
        ASSESSMENT = "assessment", _("outcome of the safety assessment")
        DECISION = "decision", _("decision whether Veilig Thuis takes the report on")
        CONCLUSION = "conclusion", _("conclusion of the investigation")
        FEEDBACK = "feedback", _("feedback to the school")

    class Conclusion(models.TextChoices):
        REFUTED = "refuted", _("weerlegd (refuted)")
        NOT_CONFIRMED = "not_confirmed", _("niet bevestigd (not confirmed)")
        CONFIRMED = "confirmed", _("bevestigd (confirmed)")

    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, related_name="responses", verbose_name=_("report")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    received_on = models.DateField(_("received on"))
    takes_on = models.BooleanField(_("takes the report on"), null=True, blank=True)
    assessment = models.CharField(
        _("outcome of the safety assessment"),
        max_length=16,
        choices=Assessment.choices,
        blank=True,
    )
    conclusion = models.CharField(
        _("conclusion"), max_length=16, choices=Conclusion.choices, blank=True
    )
    note = models.TextField(_("what Veilig Thuis said"), blank=True)
    school_follow_up = models.TextField(_("what the school still does"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("answer of Veilig Thuis")
        verbose_name_plural = _("answers of Veilig Thuis")
        ordering = ["received_on", "pk"]
        triggers = [append_only_trigger("report_response_append_only")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="decision") | Q(takes_on__isnull=False),
                name="report_response_decision_has_answer",
            ),
            models.CheckConstraint(
                condition=~Q(kind="conclusion") | ~Q(conclusion=""),
                name="report_response_conclusion_given",
            ),
            models.CheckConstraint(
                condition=~Q(kind="assessment") | ~Q(assessment=""),
                name="report_response_assessment_given",
            ),
        ]

    @property
    def asks_of_school(self) -> str:
        return str(ASSESSMENT_ASKS.get(self.assessment, ""))

    def __str__(self) -> str:
        return f"{self.report_id} · {self.kind}"
