"""The help plan of step 5a (also possible alongside a report in 5b) and its evaluations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.append_only import AppendOnlyModel, append_only_trigger


class HelpPlan(models.Model):
    """Who helps, with what, who manages the case, what results are agreed and by when.

    The plan itself may be brought up to date (whether the family arrived at the help, a
    new term after an evaluation); every change is kept by simple-history.
    """

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="help_plans", verbose_name=_("case")
    )
    organisation = models.ForeignKey(
        "socialmap.Organisation",
        on_delete=models.PROTECT,
        related_name="help_plans",
        verbose_name=_("organisation (sociale kaart)"),
        null=True,
        blank=True,
    )
    # Afwegingsvraag 3: "ik, of iemand anders in mijn school": a handelingsplan in the class.
    by_school = models.BooleanField(_("the school itself (a handelingsplan)"), default=False)
    carried_by = models.CharField(_("who carries it in the school"), max_length=200, blank=True)
    help_offered = models.TextField(_("what help"))
    case_manager = models.CharField(
        _("case manager"),
        max_length=200,
        help_text=_("The person who coordinates the help, with their role or organisation."),
    )
    results_agreed = models.TextField(_("results agreed"))
    term = models.DateField(_("effect must show by"))
    arrived_on = models.DateField(_("arrived at the help on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("help plan")
        verbose_name_plural = _("help plans")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(by_school=True, organisation__isnull=True)
                | models.Q(by_school=False, organisation__isnull=False),
                name="help_plan_school_or_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.provider}"

    @property
    def provider(self) -> str:
        """Who gives the help: an organisation of the sociale kaart, or the school itself."""
        return str(_("the school itself")) if self.by_school else self.organisation.name


class HelpEvaluation(AppendOnlyModel):
    """An evaluation of the help; it answers afwegingsvraag 5."""

    class Outcome(models.TextChoices):
        CONTINUE = "continue", _("the help continues")
        ENDED = "ended", _("the help has reached its results and ends")
        REFUSED = "refused", _("the help is refused")
        NOT_WORKING = "not_working", _("the help does not work")

    plan = models.ForeignKey(
        HelpPlan, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("help plan")
    )
    held_on = models.DateField(_("date"))
    result = models.TextField(_("result"))
    results_reached = models.BooleanField(
        _("question 5: does the help reach the agreed results within the agreed term?")
    )
    outcome = models.CharField(_("what follows"), max_length=16, choices=Outcome.choices)
    next_term = models.DateField(_("next term"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation of the help")
        verbose_name_plural = _("evaluations of the help")
        ordering = ["held_on", "pk"]
        triggers = [append_only_trigger("help_evaluation_append_only")]

    def __str__(self) -> str:
        return f"{self.plan_id} · {self.held_on}"
