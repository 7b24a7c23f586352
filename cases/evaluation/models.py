"""The evaluation of each closed case (seed 000: what went well, what should change),
tagged with themes the school chose, and only ever shown in aggregate."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.append_only import AppendOnlyModel, append_only_trigger


class EvaluationTheme(models.Model):
    school = models.ForeignKey(
        "meldcode.School",
        on_delete=models.CASCADE,
        related_name="evaluation_themes",
        verbose_name=_("school"),
    )
    name = models.CharField(_("theme"), max_length=100)

    class Meta:
        verbose_name = _("evaluation theme")
        verbose_name_plural = _("evaluation themes")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="evaluation_theme_unique")
        ]

    def __str__(self) -> str:
        return self.name


class CaseEvaluation(AppendOnlyModel):
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("case")
    )
    went_well = models.TextField(_("what went well"))
    should_change = models.TextField(_("what should change"))
    themes_well = models.ManyToManyField(
        EvaluationTheme, related_name="+", blank=True, verbose_name=_("themes that went well")
    )
    themes_change = models.ManyToManyField(
        EvaluationTheme, related_name="+", blank=True, verbose_name=_("themes to change")
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("case evaluation")
        verbose_name_plural = _("case evaluations")
        triggers = [append_only_trigger("case_evaluation_append_only")]

    def __str__(self) -> str:
        return f"{self.case_id}"
