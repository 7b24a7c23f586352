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


class WeighedWith(models.TextChoices):
    """Who weighed together (seeds 002/003: "alle betrokkenen gezamenlijk"), by role; and
    whether Veilig Thuis or the JGZ was asked to weigh along."""

    LEERKRACHT = "leerkracht", _("the teacher")
    IB = "ib", _("the care coordinator (ib'er)")
    AANDACHTSFUNCTIONARIS = "aandachtsfunctionaris", _("the aandachtsfunctionaris")
    DIRECTIE = "directie", _("the directie")
    VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis (asked to weigh along)")
    JGZ = "jgz", _("the jeugdgezondheidszorg (asked to weigh along)")


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
    # Comma-separated WeighedWith values.
    weighed_with = models.CharField(_("weighed together with"), max_length=200, blank=True)
    staff_involved = models.BooleanField(_("a staff member is involved"), default=False)
    board_informed = models.BooleanField(_("the bevoegd gezag knows"), default=False)

    class Meta:
        verbose_name = _("weighing")
        verbose_name_plural = _("weighings")
        ordering = ["at", "pk"]
        triggers = [append_only_trigger("weighing_append_only")]
        constraints = [
            models.CheckConstraint(
                condition=Q(staff_involved=False) | Q(board_informed=True),
                name="weighing_staff_involved_board_informed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.at:%Y-%m-%d}"

    @property
    def weighed_with_labels(self) -> list[str]:
        return [str(WeighedWith(code).label) for code in self.weighed_with.split(",") if code]

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
