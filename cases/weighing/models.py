"""The weighing of step 4: kept whole, never rewritten; a later weighing is a new record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.append_only import AppendOnlyModel, append_only_trigger


class Answer(models.TextChoices):
    YES = "yes", _("yes")
    NO = "no", _("no")
    DOUBT = "doubt", _("doubt")


class Weighing(AppendOnlyModel):
    """The five afwegingsvragen (questions 1 to 4 here; 5 with the help's evaluation), the
    advice the application derived from them, and the two decisions a person took."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="weighings", verbose_name=_("case")
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    advice_report = models.BooleanField(_("advice: report"))
    advice_help = models.BooleanField(_("advice: help"))
    report_needed = models.BooleanField(_("is a report necessary?"))
    help_possible = models.BooleanField(_("is help (also) possible?"))
    reason = models.TextField(_("why the decision deviates from the advice"), blank=True)
    veilig_thuis_contact = models.TextField(
        _("contact with Veilig Thuis about questions 3 and 4"), blank=True
    )

    class Meta:
        verbose_name = _("weighing")
        verbose_name_plural = _("weighings")
        ordering = ["at", "pk"]
        triggers = [append_only_trigger("weighing_append_only")]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.at:%Y-%m-%d}"

    @property
    def deviates(self) -> bool:
        return (self.report_needed, self.help_possible) != (self.advice_report, self.advice_help)


class WeighingAnswer(AppendOnlyModel):
    """One afwegingsvraag answered, with its reasoning and who gave it."""

    weighing = models.ForeignKey(
        Weighing, on_delete=models.PROTECT, related_name="answers", verbose_name=_("weighing")
    )
    question = models.PositiveSmallIntegerField(_("question"))
    answer = models.CharField(_("answer"), max_length=8, choices=Answer.choices)
    reasoning = models.TextField(_("reasoning"))
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("given by"),
    )

    class Meta:
        verbose_name = _("answer of the weighing")
        verbose_name_plural = _("answers of the weighing")
        ordering = ["question"]
        triggers = [append_only_trigger("weighing_answer_append_only")]
        constraints = [
            models.UniqueConstraint(fields=["weighing", "question"], name="weighing_answer_once"),
            models.CheckConstraint(
                condition=Q(question__gte=1, question__lte=4), name="weighing_question_1_to_4"
            ),
            models.CheckConstraint(
                condition=Q(answer__in=["yes", "no"]) | Q(question=2, answer="doubt"),
                name="weighing_doubt_only_for_question_2",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.answer}"
