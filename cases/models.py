"""The case and its route. Moves are rows, never overwrites."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.workflow import Step
from meldcode.models import Pupil, Role, School

# Roles that see every case of their own school (need to know: they carry the route).
SCHOOL_WIDE_ROLES = (Role.IB, Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE)


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user) -> CaseQuerySet:
        """The only way lists of cases are scoped (see cases.access for single cases)."""
        if not user.is_authenticated:
            return self.none()
        from meldcode.models import Membership

        lead_schools = Membership.objects.filter(
            user=user, role__in=SCHOOL_WIDE_ROLES, school__isnull=False
        ).values("school_id")
        staff_schools = Membership.objects.filter(
            user=user, role__in=[*SCHOOL_WIDE_ROLES, Role.LEERKRACHT], school__isnull=False
        ).values("school_id")
        return self.filter(
            Q(school_id__in=lead_schools) | (Q(school_id__in=staff_schools) & Q(opened_by=user))
        )


class Case(models.Model):
    """One pupil's case, from the first signals to closing."""

    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="cases", verbose_name=_("school")
    )
    pupil = models.ForeignKey(
        Pupil, on_delete=models.PROTECT, related_name="cases", verbose_name=_("pupil")
    )
    step = models.CharField(_("step"), max_length=8, choices=Step.choices, default=Step.SIGNALS)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="opened_cases",
        verbose_name=_("opened by"),
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_for_cases",
        verbose_name=_("responsible now"),
    )
    step_entered_at = models.DateTimeField(_("in this step since"), auto_now_add=True)

    history = HistoricalRecords()
    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_at"]
        permissions = [("contribute_case", _("May add to the case"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(step__in=[step.value for step in Step]), name="case_step_valid"
            )
        ]

    def __str__(self) -> str:
        return _("Case %(number)s") % {"number": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.step != Step.CLOSED


class Transition(models.Model):
    """One move of a case from one step to another: who, when, why. Append-only."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="transitions", verbose_name=_("case")
    )
    from_step = models.CharField(_("from step"), max_length=8, choices=Step.choices, blank=True)
    to_step = models.CharField(_("to step"), max_length=8, choices=Step.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)
    emergency = models.BooleanField(_("emergency"), default=False)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("responsible in this step"),
    )

    class Meta:
        verbose_name = _("move")
        verbose_name_plural = _("moves")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_step or '-'} → {self.to_step}"


class StepResponsibility(models.Model):
    """One cell of a school's responsibility matrix: this role may act in this step."""

    school = models.ForeignKey(
        School,
        on_delete=models.CASCADE,
        related_name="step_responsibilities",
        verbose_name=_("school"),
    )
    step = models.CharField(_("step"), max_length=8, choices=Step.choices)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibility matrix")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "step", "role"], name="step_responsibility_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school} · {self.step} · {self.role}"


# The first seed's split (seed 001), which every school starts with.
DEFAULT_MATRIX: dict[Step, tuple[str, ...]] = {
    Step.SIGNALS: (Role.LEERKRACHT, Role.IB, Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE),
    Step.CONSULT: (Role.IB,),
    Step.TALK: (Role.IB,),
    Step.WEIGH: (Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE),
    Step.HELP: (Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE),
    Step.REPORT: (Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE),
    Step.CLOSED: (Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE),
}


from cases.dossier import AccessLog, Entry, EntrySignal  # noqa: E402,F401
